import { fileURLToPath } from 'node:url';
import { type AppProcess, freePort, startApp } from '@signet/app-harness/process';
import { ErrorCollector } from '@signet/conformance';

/** Both ends of `@solidjs/start ^2.0.0`: the latest 2.x and 2.0.0, the same routes. */
export const FIXTURES = [
  { version: '2 (latest)', dir: 'app' },
  { version: '2.0.0', dir: 'app-start2.0.0' },
] as const;

/** A SolidStart fixture's production server (see global-setup.ts), and its error collector. */
export async function startSolidStartFixture(dir: (typeof FIXTURES)[number]['dir'] = 'app') {
  const cwd = fileURLToPath(new URL(`./${dir}`, import.meta.url));
  const collector = new ErrorCollector();
  await collector.start();
  const port = await freePort();
  const app: AppProcess = await startApp({
    command: process.execPath,
    args: ['.output/server/index.mjs'],
    cwd,
    port,
    env: { PORT: String(port), HOST: '127.0.0.1', SIGNET_ERRORS_URL: collector.url },
    readyPath: '/open/echo',
  });
  return { app, collector };
}
