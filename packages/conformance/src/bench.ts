// The adapters' HTTP benchmark: a server in its own process (so it does not share a core with
// the load generator), autocannon on loopback, 1 KiB signed JSON body, 10 connections. Each
// route runs in many short interleaved rounds and the median counts, so drift in the machine's
// load hits every route alike: compare ratios, not absolute numbers.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { BENCH_BODY, floorVerifier } from '@signet/test-kit';
import autocannon from 'autocannon';
import { makeToken } from './client.ts';
import { KEYS } from './fixture.ts';

export interface BenchRoute {
  label: string;
  path: string;
  /** The unverified route the others are compared with (per group, when there are groups). */
  baseline?: boolean;
  /** Routes compared with each other: one framework setup (e.g. "App Router, Edge"). */
  group?: string;
}

export interface BenchOptions {
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

async function startServer(script: string): Promise<{ port: number; child: ChildProcess }> {
  const [command, ...args] = [...pinned().server, process.execPath, script];
  const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function runHttpBench(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 7);
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 2);
  const { port, child } = await startServer(options.serverScript);
  const origin = `http://127.0.0.1:${port}`;
  const samples = new Map<string, { rps: number[]; p99: number[] }>();
  const key = (route: BenchRoute) => `${route.group ?? ''}\u0000${route.label}`;
  try {
    // Warm up every route, and make sure each one actually answers 2xx.
    for (const route of options.routes) {
      const result = await load(
        `${origin}${route.path}`,
        makeToken({ url: `${origin}${route.path}`, body: BENCH_BODY }),
        1,
      );
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${route.label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
    for (let round = 0; round < rounds; round++) {
      for (const route of options.routes) {
        // A fresh token each run: they live 300 s and the whole run may take longer.
        const url = `${origin}${route.path}`;
        const result = await load(url, makeToken({ url, body: BENCH_BODY }), seconds);
        if (result.non2xx > 0) throw new Error(`${route.label}: ${result.non2xx} non-2xx answers`);
        const entry = samples.get(key(route)) ?? { rps: [], p99: [] };
        entry.rps.push(result.requests.average);
        entry.p99.push(result.latency.p99);
        samples.set(key(route), entry);
      }
    }
  } finally {
    child.kill();
  }

  const rpsOf = (route: BenchRoute | undefined) =>
    median((route && samples.get(key(route))?.rps) ?? [Number.NaN]);
  const p99Of = (route: BenchRoute) => median(samples.get(key(route))?.p99 ?? [Number.NaN]);
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
  const groups = [...new Set(options.routes.map((route) => route.group ?? ''))];
  console.log(
    `\n${options.framework}: loopback HTTP, 1 KiB signed JSON, 10 connections, median of ${rounds} × ${seconds} s (Node ${process.version})\n`,
  );
  const grouped = groups.length > 1 || groups[0] !== '';
  console.log(`|${grouped ? ' setup |' : ''} route | req/s | p99 (ms) | vs unverified |`);
  console.log(`|${grouped ? ' --- |' : ''} --- | ---: | ---: | ---: |`);
  const verdicts: string[] = [];
  for (const group of groups) {
    const routes = options.routes.filter((route) => (route.group ?? '') === group);
    const baseline = routes.find((route) => route.baseline) ?? routes[0];
    const baseRps = rpsOf(baseline);
    for (const route of routes) {
      const entry = samples.get(key(route));
      if (!entry) continue;
      const rps = median(entry.rps);
      console.log(
        `|${grouped ? ` ${group} |` : ''} ${route.label} | ${Math.round(rps).toLocaleString('en-US')} | ${median(entry.p99)} | ${percent(rps / baseRps)} |`,
      );
    }
    const signet = routes.find((route) => route.label.startsWith('signet'));
    if (!signet) continue;
    const share = rpsOf(signet) / baseRps;
    const official = routes.find((route) => route.label.startsWith('official'));
    const versus = official
      ? `; ${(rpsOf(signet) / rpsOf(official)).toFixed(2)}× the official helper's req/s, p99 ${p99Of(signet)} ms against its ${p99Of(official)} ms`
      : '';
    verdicts.push(
      `${grouped ? `${group}: ` : ''}Signet keeps ${percent(share)} of unverified req/s (target ≥ ${percent(options.target)}: ${share >= options.target ? 'met' : 'MISSED'})${versus}.`,
    );
  }
  console.log(`\n${verdicts.join('\n')}`);
}
