import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type AppProcess, freePort, startApp } from '@signet/app-harness/process';
import { ErrorCollector } from '@signet/conformance';

/** One `next start` of a fixture app (built by global-setup.ts) and its error collector. */
export async function startFixture(
  dir = 'app',
): Promise<{ app: AppProcess; collector: ErrorCollector }> {
  const cwd = fileURLToPath(new URL(`./${dir}`, import.meta.url));
  const collector = new ErrorCollector();
  await collector.start();
  const port = await freePort();
  const next = createRequire(`${cwd}/package.json`).resolve('next/dist/bin/next');
  const app = await startApp({
    command: process.execPath,
    args: [next, 'start', '-p', String(port), '-H', '127.0.0.1'],
    cwd,
    port,
    env: { NEXT_TELEMETRY_DISABLED: '1', SIGNET_ERRORS_URL: collector.url },
    readyPath: '/node/open/echo',
  });
  return { app, collector };
}
