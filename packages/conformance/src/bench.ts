// The adapters' HTTP benchmark: a server in its own process (so it does not share a core with
// the load generator), autocannon on loopback, 1 KiB signed JSON body, 10 connections. Each
// route runs in many short interleaved rounds and the median counts, so drift in the machine's
// load hits every route alike: compare ratios, not absolute numbers. The Signet and official
// routes also get a forged token (signed with a key the app does not have) in the same rounds:
// refusals per second, where not one 2xx may come back. Results go to the report
// (`pnpm bench`, docs/bench) as well as to the console.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { BENCH_BODY, floorVerifier } from '@signet/test-kit';
import { type BenchRatio, type BenchRow, median, recordBench } from '@signet/test-kit/bench-record';
import autocannon from 'autocannon';
import { makeToken } from './client.ts';
import { FOREIGN_KEY, KEYS } from './fixture.ts';

export interface BenchRoute {
  label: string;
  path: string;
  /** The unverified route the others are compared with (per group, when there are groups). */
  baseline?: boolean;
  /** Routes compared with each other: one framework setup (e.g. "App Router, Edge"). */
  group?: string;
}

export interface BenchOptions {
  /** The report section's id (file name and order), e.g. "20-express". */
  id: string;
  framework: string;
  /** A script that starts the server on a free loopback port and prints `PORT <n>`. */
  serverScript: string;
  routes: BenchRoute[];
  /** Target share of the baseline's req/s for the Signet route, e.g. 0.9. */
  target: number;
  rounds?: number;
  seconds?: number;
}

/** The floor check for the fixture keys, as the adapters' bench servers run it inline. */
export const floorVerify = floorVerifier([KEYS.currentSigningKey, KEYS.nextSigningKey]);

/**
 * On Linux with two or more cores, the server gets core 0 to itself and the load generator (this
 * process) the other ones, so neither migrates onto the other's core mid-run.
 */
function pinned(): { server: string[]; ok: boolean } {
  if (
    process.platform !== 'linux' ||
    availableParallelism() < 2 ||
    spawnSync('taskset', ['-c', '0', 'true']).status !== 0
  ) {
    return { server: [], ok: false };
  }
  spawnSync('taskset', ['-pc', `1-${availableParallelism() - 1}`, String(process.pid)]);
  return { server: ['taskset', '-c', '0'], ok: true };
}

async function startServer(
  script: string,
  prefix: readonly string[],
): Promise<{ port: number; child: ChildProcess }> {
  const [command, ...args] = [...prefix, process.execPath, script];
  // stderr is kept, not shown: the official helpers log a stack trace per refused request.
  const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) console.error(`${script} exited with ${code}:\n${errors}`);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /^PORT (\d+)$/.exec(line);
    if (match) return { port: Number(match[1]), child };
  }
  throw new Error(`${script} exited without printing PORT`);
}

function load(url: string, signature: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections: 10,
    duration: seconds,
    body: BENCH_BODY,
    headers: { 'content-type': 'application/json', 'upstash-signature': signature },
  });
}

const isSignet = (route: BenchRoute) => route.label.startsWith('signet');
const isOfficial = (route: BenchRoute) => route.label.startsWith('official');
const FORGED = ', forged token';

export async function runHttpBench(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 7);
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 2);
  const pinning = pinned();
  const { port, child } = await startServer(options.serverScript, pinning.server);
  const origin = `http://127.0.0.1:${port}`;
  // Every route with a valid token, and the Signet and official ones with a forged token too.
  const cases = options.routes.flatMap((route) =>
    isSignet(route) || isOfficial(route)
      ? [
          { route, forged: false },
          { route: { ...route, label: `${route.label}${FORGED}` }, forged: true },
        ]
      : [{ route, forged: false }],
  );
  const samples = new Map<string, { rps: number[]; p99: number[] }>();
  const key = (route: BenchRoute) => `${route.group ?? ''}\u0000${route.label}`;
  const run = async ({ route, forged }: (typeof cases)[number], duration: number) => {
    // A fresh token each run: they live 300 s and the whole run may take longer.
    const url = `${origin}${route.path}`;
    const token = makeToken({ url, body: BENCH_BODY, ...(forged ? { key: FOREIGN_KEY } : {}) });
    const result = await load(url, token, duration);
    if (forged ? result['2xx'] > 0 : result.non2xx > 0 || result.errors > 0) {
      throw new Error(
        `${route.label}: ${forged ? `${result['2xx']} forged requests answered 2xx` : `${result.non2xx} non-2xx, ${result.errors} errors`}`,
      );
    }
    return result;
  };
  try {
    // Warm up every case, and make sure each one answers as it must.
    for (const item of cases) await run(item, 1);
    for (let round = 0; round < rounds; round++) {
      for (const item of cases) {
        const result = await run(item, seconds);
        const entry = samples.get(key(item.route)) ?? { rps: [], p99: [] };
        entry.rps.push(result.requests.average);
        entry.p99.push(result.latency.p99);
        samples.set(key(item.route), entry);
      }
    }
  } finally {
    child.kill();
  }

  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
  const groups = [...new Set(options.routes.map((route) => route.group ?? ''))];
  const grouped = groups.length > 1 || groups[0] !== '';
  const conditions = `loopback HTTP, 1 KiB signed JSON, 10 connections, median of ${rounds} × ${seconds} s (Node ${process.version})`;
  console.log(`\n${options.framework}: ${conditions}\n`);
  console.log(`|${grouped ? ' setup |' : ''} route | req/s | p99 (ms) | vs unverified |`);
  console.log(`|${grouped ? ' --- |' : ''} --- | ---: | ---: | ---: |`);
  const rows: BenchRow[] = [];
  const ratios: BenchRatio[] = [];
  const verdicts: string[] = [];
  for (const group of groups) {
    const inGroup = cases.filter(({ route }) => (route.group ?? '') === group);
    const valid = inGroup.filter((item) => !item.forged).map((item) => item.route);
    const baseline = valid.find((route) => route.baseline) ?? (valid[0] as BenchRoute);
    const rpsOf = (route: BenchRoute) => median(samples.get(key(route))?.rps ?? [Number.NaN]);
    const p99Of = (route: BenchRoute) => median(samples.get(key(route))?.p99 ?? [Number.NaN]);
    for (const { route } of inGroup) {
      const entry = samples.get(key(route));
      if (!entry) continue;
      rows.push({ ...(grouped ? { group } : {}), label: route.label, samples: entry.rps });
      console.log(
        `|${grouped ? ` ${group} |` : ''} ${route.label} | ${Math.round(rpsOf(route)).toLocaleString('en-US')} | ${p99Of(route)} | ${route.label.endsWith(FORGED) ? '' : percent(rpsOf(route) / rpsOf(baseline))} |`,
      );
    }
    const ratio = (
      label: string,
      of: BenchRoute | undefined,
      to: BenchRoute | undefined,
      chart = false,
    ) => {
      if (of && to)
        ratios.push({ ...(grouped ? { group } : {}), label, of: of.label, to: to.label, chart });
    };
    const signet = valid.find(isSignet);
    const official = valid.find(isOfficial);
    const floor = valid.find((route) => route.label.startsWith('floor'));
    const clone = valid.find((route) => route.label.startsWith('clone'));
    for (const route of valid) {
      if (route !== baseline)
        ratio(`${route.label} ÷ unverified`, route, baseline, route === signet);
    }
    ratio('Signet ÷ official', signet, official, true);
    ratio('Signet ÷ floor', signet, floor);
    ratio('Signet ÷ clone + read', signet, clone);
    const forged = (route: BenchRoute | undefined) =>
      route &&
      inGroup.find((item) => item.forged && item.route.label === `${route.label}${FORGED}`)?.route;
    ratio('refusals/s: Signet ÷ official', forged(signet), forged(official), true);
    if (!signet) continue;
    const share = rpsOf(signet) / rpsOf(baseline);
    const versus = official
      ? `; ${(rpsOf(signet) / rpsOf(official)).toFixed(2)}× the official helper's req/s, p99 ${p99Of(signet)} ms against its ${p99Of(official)} ms`
      : '';
    verdicts.push(
      `${grouped ? `${group}: ` : ''}Signet keeps ${percent(share)} of unverified req/s (target ≥ ${percent(options.target)}: ${share >= options.target ? 'met' : 'MISSED'})${versus}.`,
    );
  }
  console.log(`\n${verdicts.join('\n')}`);
  recordBench({
    id: options.id,
    title: `${options.framework} over HTTP`,
    conditions: `The same handler (parse the order, answer its item count) behind each guard; the server in its own process${pinning.ok ? ', pinned to core 0 (the load generator on the others)' : ''}; autocannon, ${conditions}. Rows ending in "forged token" send a token signed with a key the app does not have: refusals per second (no 2xx may come back).`,
    unit: 'req/s',
    rows,
    ratios,
  });
}
