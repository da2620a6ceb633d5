import { fileURLToPath } from 'node:url';
import { type AppProcess, freePort, startApp } from '@signet/app-harness/process';
import { ErrorCollector } from '@signet/conformance';

/**
 * A fixture app's adapter-node build (see global-setup.ts), and its error collector: test/app's
 * (SvelteKit 3) or test/app-kit2's (SvelteKit 2.0.0).
 */
export async function startFixture(
  build: 'build' | 'build-default-csrf' = 'build',
  dir: 'app' | 'app-kit2' = 'app',
) {
  const cwd = fileURLToPath(new URL(`./${dir}`, import.meta.url));
  const collector = new ErrorCollector();
  await collector.start();
  const port = await freePort();
  const app: AppProcess = await startApp({
    command: process.execPath,
    args: [build],
    cwd,
    port,
    env: { PORT: String(port), HOST: '127.0.0.1', SIGNET_ERRORS_URL: collector.url },
    readyPath: '/hook/open/echo',
  });
  return { app, collector };
}
