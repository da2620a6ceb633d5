// `pnpm dev` for the movies app: starts the bundled origin when no TMDB key is set, finds the
// broker's signing keys, and runs `vite dev` with everything wired in. Run `signet dev` first
// (the root `pnpm dev` does), or point QSTASH_URL/QSTASH_TOKEN at hosted QStash.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { DEFAULT_PORT, DEV_TOKEN } from '@signet/dev-server';
import { startOrigin } from '../origin/server.ts';

const env: Record<string, string | undefined> = { ...process.env };
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

env.QSTASH_URL ??= `http://127.0.0.1:${DEFAULT_PORT}`;
env.QSTASH_TOKEN ??= DEV_TOKEN;
if (!env.QSTASH_CURRENT_SIGNING_KEY || !env.QSTASH_NEXT_SIGNING_KEY) {
  const keys = await brokerKeys(env.QSTASH_URL, env.QSTASH_TOKEN);
  env.QSTASH_CURRENT_SIGNING_KEY = keys.current;
  env.QSTASH_NEXT_SIGNING_KEY = keys.next;
}

// The broker may rotate its keys; asking it (rather than assuming the defaults) keeps the hook
// in step with what it signs with.
async function brokerKeys(url: string, token: string): Promise<{ current: string; next: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/v2/keys`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) return (await response.json()) as { current: string; next: string };
      throw new Error(`${url}/v2/keys answered ${response.status}`);
    } catch (error) {
      if (Date.now() > deadline) {
        console.error(
          `movies: no broker at ${url} (${(error as Error).message}). Start one with \`pnpm --filter @signet/dev-server dev\`, or set QSTASH_* for hosted QStash.`,
        );
        process.exit(1);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

const vite = createRequire(import.meta.url)
  .resolve('vite/package.json')
  .replace(/package\.json$/, 'bin/vite.js');
const child = spawn(
  process.execPath,
  [vite, 'dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  {
    env,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
child.once('exit', (code) => process.exit(code ?? 0));
