// `pnpm dev` (and `./scripts/dev`): builds what the demos import, starts `signet dev`, then every
// demo through turbo with the broker's address and keys wired in, and prints one table of URLs
// once all of them answer. Until then it prints one line per step; everything the tools print
// goes to a log file (named in the table), and after the table the demos' own lines follow live.
// Ctrl-C (or SIGTERM) stops everything, quietly. SIGNET_DEV_DATA=<dir> keeps all local data
// (broker, PGlite, the log) in one folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const dataDir = process.env.SIGNET_DEV_DATA;
const brokerPort = Number(process.env.QSTASH_DEV_PORT ?? 8080);
const logDir = dataDir ?? join(root, '.signet');
mkdirSync(logDir, { recursive: true });
const logPath = join(logDir, 'dev.log');
const log = createWriteStream(logPath, { flags: 'w' });

/** What `pnpm dev` prints, and the tests check. */
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
  {
    name: 'ledger',
    url: 'http://127.0.0.1:3300/',
    what: 'Fastify service: every order booked once',
  },
];

const children: { name: string; child: ChildProcess }[] = [];
/** After the URL table, the demos' lines are shown as well as logged. */
let live = false;
let stopping = false;

/** Starts a process in a group of its own (so stopping it stops everything it started). */
function run(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${name}│ ${line}\n`);
      if (live && !stopping) console.log(`${name.padEnd(7)}│ ${line}`);
    });
  }
  children.push({ name, child });
  return child;
}

/** Resolves with the exit code, once the process has exited. */
const exited = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 0);
    else child.once('exit', (code) => resolve(code ?? 0));
  });

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

let stopped: Promise<never> | undefined;
/** Stops everything once; later calls (a second signal, the parent going) wait for that. */
function stop(code: number, reason?: string): Promise<never> {
  stopped ??= stopEverything(code, reason);
  return stopped;
}
async function stopEverything(code: number, reason?: string): Promise<never> {
  stopping = true;
  if (reason) console.error(`dev: ${reason} (details in ${relative(root, logPath) || logPath})`);
  for (const { child } of children) signalGroup(child, 'SIGTERM');
  // What does not stop within 5 s is killed, so nothing outlives `pnpm dev`.
  const killer = setTimeout(() => {
    for (const { child } of children) signalGroup(child, 'SIGKILL');
  }, 5000);
  await Promise.all(children.map(({ child }) => exited(child)));
  clearTimeout(killer);
  if (code === 0)
    console.log(
      `\nStopped ${SERVICES.map((service) => service.name)
        .filter((name) => name !== 'movies origin')
        .join(', ')}.`,
    );
  await new Promise<void>((resolve) => log.end(resolve));
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => void stop(0));
}
// Whoever started this (pnpm, a shell) may be stopped without passing the signal on: once it is
// gone, stop too, rather than leave the broker and the demos running with no one to stop them.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 1000).unref();

/** Runs a step to completion, printing one line for it. */
async function step(what: string, args: string[]): Promise<void> {
  const begun = performance.now();
  process.stdout.write(`dev: ${what} …`);
  const code = await exited(run('build', args));
  if (code !== 0) {
    process.stdout.write(' failed\n');
    await stop(code, `${what} failed`);
  }
  process.stdout.write(` done (${((performance.now() - begun) / 1000).toFixed(1)} s)\n`);
}

const turbo = fileURLToPath(new URL('../node_modules/turbo/bin/turbo', import.meta.url));
await step('building the packages the demos import', [
  turbo,
  'run',
  'build',
  '--filter=./apps/*^...',
  '--output-logs=new-only',
]);

// Imported only now: the broker's package is one of those just built.
const { brokerEnv } = await import('@signet/dev-server');
process.stdout.write('dev: starting signet dev …');
const cli = fileURLToPath(new URL('../packages/dev-server/dist/cli.js', import.meta.url));
const broker = run('signet', [
  cli,
  'dev',
  '--port',
  String(brokerPort),
  '--data',
  dataDir ? join(dataDir, 'signet') : join(root, '.signet'),
]);
void exited(broker).then((code) => {
  if (!stopping) void stop(1, `signet dev exited (${code}); is port ${brokerPort} in use?`);
});
const qstash = await brokerEnv({ url: `http://127.0.0.1:${brokerPort}`, timeoutMs: 30_000 }).catch(
  (error: Error) => stop(1, error.message),
);
process.stdout.write(' ready\n');

process.stdout.write('dev: starting the demos …');
// `--only`: the packages were built above; turbo's ^build would replay their logs.
const apps = run(
  'apps',
  [turbo, 'run', 'dev', '--filter=./apps/*', '--only', '--ui=stream', '--log-prefix=task'],
  {
    ...process.env,
    ...qstash,
  },
);
void exited(apps).then((code) => {
  if (!stopping) void stop(code || 1, `the demos stopped (${code})`);
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
  if (waiting.size === 0 || stopping) break;
  if (Date.now() > deadline) await stop(1, `still not answering: ${[...waiting].join(', ')}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
if (stopping) await new Promise(() => {});
process.stdout.write(' ready\n');

const width = Math.max(...SERVICES.map((service) => service.url.length));
console.log(
  `\nSignet is running (everything up in ${((performance.now() - started) / 1000).toFixed(1)} s):\n`,
);
for (const service of SERVICES)
  console.log(`  ${service.name.padEnd(14)} ${service.url.padEnd(width)}  ${service.what}`);
console.log(
  `\nLogs: ${relative(process.cwd(), logPath) || logPath} (the demos' lines follow below). Ctrl-C stops everything.\n`,
);
live = true;
