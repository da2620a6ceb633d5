// The benchmark server: `next start` of the bench app (./app, built by http.bench.ts), with the
// fixture keys in its environment and its origin pinned, printing `PORT <n>` once it answers.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { freePort, startApp } from '@signet/app-harness/process';
import { KEYS } from '@signet/conformance/fixture';

const cwd = fileURLToPath(new URL('./app', import.meta.url));
const port = await freePort();
const next = createRequire(`${cwd}/package.json`).resolve('next/dist/bin/next');
const app = await startApp({
  command: process.execPath,
  args: [next, 'start', '-p', String(port), '-H', '127.0.0.1'],
  cwd,
  port,
  env: {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
    SIGNET_ORIGIN: `http://127.0.0.1:${port}`,
  },
  readyPath: '/node/unverified',
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.stop().then(() => process.exit(0)));
}
console.log(`PORT ${port}`);
