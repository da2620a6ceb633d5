// `pnpm bench`: page latency of /movie/[id] served as a miss (origin, 400 ms by default), a hit
// and a stale read, interleaved in one run against the built app, real Redis and `signet dev`.
// Run `pnpm build` first (turbo does).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheOutcome, startStack } from '../test/harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MISSES = Number(process.env.BENCH_MISSES ?? 10);
const READS = Number(process.env.BENCH_READS ?? 100);
const LATENCY = Number(process.env.ORIGIN_LATENCY_MS ?? 400);

const stack = await startStack({ originLatencyMs: LATENCY });
const samples: Record<'miss' | 'hit' | 'stale', number[]> = { miss: [], hit: [], stale: [] };
// Each round's median latency per read, for the report.
const roundMedians: Record<'miss' | 'hit' | 'stale', number[]> = { miss: [], hit: [], stale: [] };

async function timed(path: string): Promise<{ ms: number; outcome: string }> {
  const started = performance.now();
  const response = await fetch(`${stack.app.origin}${path}`);
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return { ms, outcome: cacheOutcome(response.headers.get('cache-status')) };
}

try {
  const HIT_ID = 1;
  const STALE_ID = 2;
  await timed(`/movie/${HIT_ID}`);
  await timed(`/movie/${STALE_ID}`);
  let nextMissId = 3;
  for (let round = 0; round < ROUNDS; round++) {
    const counts = {
      miss: samples.miss.length,
      hit: samples.hit.length,
      stale: samples.stale.length,
    };
    for (let i = 0; i < MISSES; i++) {
      const sample = await timed(`/movie/${nextMissId++}`);
      if (sample.outcome === 'miss') samples.miss.push(sample.ms);
    }
    for (let i = 0; i < READS; i++) {
      const hit = await timed(`/movie/${HIT_ID}`);
      if (hit.outcome === 'hit') samples.hit.push(hit.ms);
      // Make the entry stale before every read; the first read queues the refresh, the rest
      // find it queued, as in a burst.
      await stack.redis.del(`${stack.prefix}movie:${STALE_ID}:fresh`);
      const stale = await timed(`/movie/${STALE_ID}`);
      if (stale.outcome === 'stale') samples.stale.push(stale.ms);
    }
    for (const read of ['miss', 'hit', 'stale'] as const) {
      roundMedians[read].push(percentile(samples[read].slice(counts[read]), 50));
    }
  }
} finally {
  await stack.close();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const missP50 = percentile(samples.miss, 50);

console.log(
  `\n/movie/[id] page latency: built app (adapter-node), real Redis, signet dev, origin latency ${LATENCY} ms; ${ROUNDS} interleaved rounds (Node ${process.version})\n`,
);
console.log('| read | samples | p50 (ms) | p95 (ms) | p50 vs miss |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, values] of Object.entries(samples)) {
  const p50 = percentile(values, 50);
  console.log(
    `| ${name} | ${values.length} | ${p50.toFixed(1)} | ${percentile(values, 95).toFixed(1)} | ${(missP50 / p50).toFixed(0)}× faster |`.replace(
      '| 1× faster |',
      '| 1× |',
    ),
  );
}
const worst = Math.max(percentile(samples.hit, 95), percentile(samples.stale, 95));
console.log(
  `\nTarget: hit and stale p95 < 30 ms: ${worst.toFixed(1)} ms (${worst < 30 ? 'met' : 'MISSED'}).`,
);

// For the repository's benchmark report (`pnpm bench` sets BENCH_OUT to its results directory):
// the section in the report's format. Written here rather than with the repository's bench
// helpers, so that this app still needs nothing of the repository when copied out.
if (process.env.BENCH_OUT) {
  const dir = resolve(process.env.BENCH_OUT);
  mkdirSync(dir, { recursive: true });
  const section = {
    id: '40-movies',
    title: 'apps/movies: /movie/[id] page latency (stale-while-revalidate)',
    conditions: `The built app (adapter-node), real Redis, \`signet dev\`, an origin that answers in ${LATENCY} ms; ${ROUNDS} interleaved rounds of ${MISSES} misses and ${READS} hit and stale reads each (a stale read queues the refresh as a signed message). Samples are each round's median latency, in milliseconds; p95 over all reads: hit ${percentile(samples.hit, 95).toFixed(1)} ms, stale ${percentile(samples.stale, 95).toFixed(1)} ms.`,
    unit: 'ms',
    rows: (['miss', 'hit', 'stale'] as const).map((read) => ({
      label: read,
      samples: roundMedians[read],
    })),
    ratios: [
      { label: 'miss ÷ hit (a hit is this many times faster)', of: 'miss', to: 'hit' },
      { label: 'miss ÷ stale', of: 'miss', to: 'stale' },
    ],
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${process.platform} ${process.arch}`,
    node: process.version,
    recordedAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, `${section.id}.json`), `${JSON.stringify(section, null, 2)}\n`);
}
