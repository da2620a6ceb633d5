import { fileURLToPath } from 'node:url';
import { type AppProcess, freePort, startApp } from '@signet/app-harness/process';
import { ErrorCollector } from '@signet/conformance';

const cwd = fileURLToPath(new URL('./app', import.meta.url));

/** The SolidStart fixture's production server (see global-setup.ts), and its error collector. */
export async function startSolidStartFixture() {
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
