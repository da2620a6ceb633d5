// `pnpm bench`: Signet's verify against the official @upstash/qstash Receiver and a hand-written
// node:crypto floor, side by side in one run, 1 KiB JSON body, current key and rotated (next) key.
// The machine is noisy, so every task runs in several interleaved rounds and the median counts;
// compare the ratios, not the absolute numbers.

import { BENCH_BODY, floorVerifier } from '@signet/test-kit';
import { recordBench } from '@signet/test-kit/bench-record';
import { Receiver } from '@upstash/qstash';
import * as nodeBuild from '../dist/index.node.js';
import * as webBuild from '../dist/index.web.js';
import { interleavedRounds, median, opsPerSecond, printTable, ratio } from './rounds.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 700);

const keys = {
  currentSigningKey: 'sig_3nbXyzJmTmh1s4T3Cw7GmTDmHrvm',
  nextSigningKey: 'sig_6VSwPaXoLqs7RAMnHZKqTdkRJx2C',
};
const url = 'https://app.example.com/api/hooks/order';
const body = BENCH_BODY;
if (Math.abs(Buffer.byteLength(body) - 1024) > 16)
  throw new Error(`body is ${Buffer.byteLength(body)} bytes, want ~1 KiB`);

const tokens = {
  current: await nodeBuild.createSigner({ key: keys.currentSigningKey }).sign({ url, body }),
  next: await nodeBuild.createSigner({ key: keys.nextSigningKey }).sign({ url, body }),
};

// The fastest honest synchronous check, the same one the adapters' HTTP benches run inline.
// Current key first, then next.
const floorVerify = floorVerifier([keys.currentSigningKey, keys.nextSigningKey]);

const receiver = new Receiver(keys);
const verifiers = { node: nodeBuild.createVerifier(keys), web: webBuild.createVerifier(keys) };

type KeyCase = keyof typeof tokens;
const tasks: Record<string, (key: KeyCase) => unknown> = {
  'signet (node build)': (key) => verifiers.node.verify({ signature: tokens[key], body, url }),
  'signet (web build)': (key) => verifiers.web.verify({ signature: tokens[key], body, url }),
  'official Receiver': (key) => receiver.verify({ signature: tokens[key], body, url }),
  'node:crypto floor': (key) => floorVerify(tokens[key], body, url),
};

// Every task must actually verify (a benchmark of a failing path is meaningless).
for (const key of ['current', 'next'] as const) {
  for (const [name, task] of Object.entries(tasks)) {
    await task(key);
    if (name.startsWith('signet')) {
      await verifiers.node.verify({ signature: tokens[key], body: `${body} `, url }).then(
        () => {
          throw new Error('a tampered body verified');
        },
        () => {},
      );
    }
  }
}

const samples = await interleavedRounds(ROUNDS, TIME_MS, (bench) => {
  for (const key of ['current', 'next'] as const) {
    for (const [name, task] of Object.entries(tasks)) bench.add(`${name}|${key}`, () => task(key));
  }
});

const ops = (name: string, key: KeyCase) => median(samples.get(`${name}|${key}`) ?? [0]);

console.log(
  `\n@signet/core verify, 1 KiB JSON body, Node ${process.version}, median of ${ROUNDS} rounds (ops/s)\n`,
);
const rows: string[][] = [['key', 'implementation', 'ops/s', 'vs official', 'vs floor']];
for (const key of ['current', 'next'] as const) {
  const official = ops('official Receiver', key);
  const floor = ops('node:crypto floor', key);
  for (const name of Object.keys(tasks)) {
    const value = ops(name, key);
    rows.push([key, name, opsPerSecond(value), ratio(value, official), ratio(value, floor)]);
  }
}
printTable(rows, 2);

console.log('\nTargets: node build ≥ 8× official and ≥ 0.80× floor; web build ≥ 1.5× official.');
for (const key of ['current', 'next'] as const) {
  const official = ops('official Receiver', key);
  const floor = ops('node:crypto floor', key);
  const nodeOps = ops('signet (node build)', key);
  const webOps = ops('signet (web build)', key);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `  ${key} key: node ${ratio(nodeOps, official)} official (${verdict(nodeOps >= 8 * official)}), ${ratio(nodeOps, floor)} floor (${verdict(nodeOps >= 0.8 * floor)}); web ${ratio(webOps, official)} official (${verdict(webOps >= 1.5 * official)})`,
  );
}

const NAMES = {
  'signet (node build)': 'Node build',
  'signet (web build)': 'Web build',
  'official Receiver': 'official Receiver',
  'node:crypto floor': 'node:crypto floor',
} as const;
recordBench({
  id: '10-core-verify',
  title: '@signet/core verify, 1 KiB body, current and rotated key',
  conditions: `One process, tinybench, ${ROUNDS} interleaved rounds of ${TIME_MS} ms per case; a 1 KiB JSON body; the "next key" case is a token signed with the next key, as after a rotation (the official Receiver tries the current key first and fails; Signet tries the key that verified last first). The floor is a hand-written node:crypto check (@signet/test-kit's floorVerifier).`,
  unit: 'ops/s',
  rows: (['current', 'next'] as const).flatMap((key) =>
    Object.keys(tasks).map((name) => ({
      group: `${key} key`,
      label: NAMES[name as keyof typeof NAMES],
      samples: samples.get(`${name}|${key}`) ?? [],
    })),
  ),
  ratios: (['current', 'next'] as const).flatMap((key) => [
    {
      group: `${key} key`,
      label: 'Node build ÷ official',
      of: 'Node build',
      to: 'official Receiver',
      chart: true,
    },
    {
      group: `${key} key`,
      label: 'Web build ÷ official',
      of: 'Web build',
      to: 'official Receiver',
      chart: true,
    },
    {
      group: `${key} key`,
      label: 'Node build ÷ floor',
      of: 'Node build',
      to: 'node:crypto floor',
      chart: true,
    },
  ]),
});
