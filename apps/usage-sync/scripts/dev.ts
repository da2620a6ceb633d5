// `npm run dev` for usage-sync: takes the broker's address and keys from the running `signet dev`
// (or the QSTASH_* variables for hosted QStash), seeds the demo users, and runs `next dev`.
// Without DATABASE_URL the data lives in embedded PGlite under .data/.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brokerEnv } from '@signet/dev-server';

const env: NodeJS.ProcessEnv = { ...process.env };
const port = Number(env.PORT ?? 3000);
env.APP_URL ??= `http://127.0.0.1:${port}`;
env.SEED_DEMO ??= '1';
env.NEXT_TELEMETRY_DISABLED ??= '1';
// With SIGNET_DEV_DATA set (the monorepo's `pnpm dev` sets it), PGlite keeps its data there.
if (env.SIGNET_DEV_DATA && !env.PGLITE_DIR)
  env.PGLITE_DIR = join(env.SIGNET_DEV_DATA, 'usage-sync');
if (!env.QSTASH_CURRENT_SIGNING_KEY) {
  try {
    Object.assign(env, await brokerEnv({ url: env.QSTASH_URL, token: env.QSTASH_TOKEN }));
  } catch (error) {
    console.error(`[usage-sync] ${(error as Error).message}`);
    process.exit(1);
  }
}

const next = createRequire(import.meta.url)
  .resolve('next/package.json')
  .replace(/package\.json$/, 'dist/bin/next');
const child = spawn(process.execPath, [next, 'dev', '-p', String(port), '-H', '127.0.0.1'], {
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
child.once('exit', (code) => process.exit(code ?? 0));
