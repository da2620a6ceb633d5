import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type AppProcess, freePort, startApp } from '@signet/app-harness/process';
import { ErrorCollector } from '@signet/conformance';

const cwd = fileURLToPath(new URL('./app', import.meta.url));

/** One `next start` of the fixture app (built by global-setup.ts) and its error collector. */
export async function startFixture(): Promise<{ app: AppProcess; collector: ErrorCollector }> {
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
