// `pnpm dev`: builds what the demos import, starts `signet dev`, then every demo through turbo
// with the broker's address and keys wired in, and prints one table of URLs once all answer.
// Stop with Ctrl-C. SIGNET_DEV_DATA=<dir> keeps all local data (broker, PGlite) in one folder.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { brokerEnv } from '@signet/dev-server';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const children: ChildProcess[] = [];
const dataDir = process.env.SIGNET_DEV_DATA;
const brokerPort = Number(process.env.QSTASH_DEV_PORT ?? 8080);

/** What `pnpm dev` prints, and the smoke test checks. */
const SERVICES: { name: string; url: string; what: string }[] = [
  {
    name: 'signet dev',
    url: `http://127.0.0.1:${brokerPort}/`,
    what: 'the local QStash: messages, schedules, URL groups, dead letters',
  },
  {
    name: 'movies',
    url: 'http://127.0.0.1:5173/',
    what: 'SvelteKit stale-while-revalidate movie cache',
  },
  {
    name: 'movies origin',
    url: 'http://127.0.0.1:8790/3/movie/popular',
    what: 'the bundled TMDB-shaped API (400 ms latency)',
  },
  {
    name: 'usage-sync',
    url: 'http://127.0.0.1:3000/',
    what: 'Next.js usage dashboard, hourly signed sync',
  },
  { name: 'orders', url: 'http://127.0.0.1:3100/', what: 'Express shop: buy, then watch /orders' },
  {
    name: 'mailer',
    url: 'http://127.0.0.1:3200/outbox',
    what: 'Hono worker: receipts and review reminders',
  },
];

function run(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on('line', (line) =>
        console.log(`${name.padEnd(7)}│ ${line}`),
      );
  }
  children.push(child);
  return child;
}

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(0));

const turbo = fileURLToPath(new URL('../node_modules/turbo/bin/turbo', import.meta.url));
console.log('dev: building the packages the demos import …');
const build = spawnSync(
  process.execPath,
  [turbo, 'run', 'build', '--filter=./apps/*^...', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = fileURLToPath(new URL('../packages/dev-server/dist/cli.js', import.meta.url));
const broker = run('signet', process.execPath, [
  cli,
  'dev',
  '--port',
  String(brokerPort),
  '--data',
  dataDir ? `${dataDir}/signet` : '.signet',
]);
broker.once('exit', (code) => {
  console.error(`dev: signet dev exited (${code}); is port ${brokerPort} in use?`);
  stop(1);
});
const qstash = await brokerEnv({ url: `http://127.0.0.1:${brokerPort}`, timeoutMs: 30_000 });

const apps = run(
  'apps',
  process.execPath,
  [turbo, 'run', 'dev', '--filter=./apps/*', '--ui=stream', '--log-prefix=task'],
  {
    ...process.env,
    ...qstash,
  },
);
apps.once('exit', (code) => {
  console.error(`dev: the demos stopped (${code})`);
  stop(code ?? 1);
});

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

const deadline = Date.now() + Number(process.env.SIGNET_DEV_TIMEOUT_MS ?? 180_000);
const waiting = new Set(SERVICES.map((service) => service.url));
while (waiting.size > 0) {
  for (const url of [...waiting]) if (await answers(url)) waiting.delete(url);
  if (waiting.size === 0) break;
  if (stopping) await new Promise(() => {});
  if (Date.now() > deadline) {
    console.error(`dev: still not answering: ${[...waiting].join(', ')}`);
    stop(1);
    await new Promise(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const width = Math.max(...SERVICES.map((service) => service.url.length));
console.log(
  `\nSignet is running (everything up in ${((performance.now() - started) / 1000).toFixed(1)} s):\n`,
);
for (const service of SERVICES)
  console.log(`  ${service.name.padEnd(14)} ${service.url.padEnd(width)}  ${service.what}`);
console.log('\nCtrl-C stops everything.\n');
