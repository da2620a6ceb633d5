// The benchmark server: the bench app's adapter-node build (./app/build, built by
// http.bench.ts), with the fixture keys in its environment and its origin pinned, printing
// `PORT <n>` once it answers.
import { fileURLToPath } from 'node:url';
import { freePort, startApp } from '@signet/app-harness/process';
import { KEYS } from '@signet/conformance/fixture';

const cwd = fileURLToPath(new URL('./app', import.meta.url));
const port = await freePort();
const app = await startApp({
  command: process.execPath,
  args: ['build'],
  cwd,
  port,
  env: {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    // adapter-node's own setting: the URL its requests get (no TLS proxy in front here).
    ORIGIN: `http://127.0.0.1:${port}`,
    QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
    SIGNET_ORIGIN: `http://127.0.0.1:${port}`,
  },
  readyPath: '/unverified',
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.stop().then(() => process.exit(0)));
}
console.log(`PORT ${port}`);
