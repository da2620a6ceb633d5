// `npm run dev` for the movies app: starts the bundled origin when no TMDB key is set, takes the
// broker's address and keys from the running `signet dev` (or the QSTASH_* variables for hosted
// QStash), and runs `vite dev` with everything wired in.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { brokerEnv } from '@signet/dev-server';
import { startOrigin } from '../origin/server.ts';

const env: NodeJS.ProcessEnv = { ...process.env };
const port = Number(env.PORT ?? 5173);
env.APP_URL ??= `http://127.0.0.1:${port}`;

if (!env.TMDB_API_KEY && !env.TMDB_BASE_URL) {
  const origin = await startOrigin({
    port: Number(env.ORIGIN_PORT ?? 8790),
    latencyMs: Number(env.ORIGIN_LATENCY_MS ?? 400),
  });
  env.TMDB_BASE_URL = origin.url;
  console.log(`movies: bundled origin (${origin.films.length} films) at ${origin.url}`);
}
if (!env.QSTASH_CURRENT_SIGNING_KEY) {
  try {
    Object.assign(env, await brokerEnv({ url: env.QSTASH_URL, token: env.QSTASH_TOKEN }));
  } catch (error) {
    console.error(`[movies] ${(error as Error).message}`);
    process.exit(1);
  }
}

const vite = createRequire(import.meta.url)
  .resolve('vite/package.json')
  .replace(/package\.json$/, 'bin/vite.js');
const child = spawn(
  process.execPath,
  [vite, 'dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  { env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
child.once('exit', (code) => process.exit(code ?? 0));
