// `pnpm bench`: verify ops/s by body size (0 B to 1 MiB), the Web build and the Node build
// against the official Receiver, side by side in interleaved rounds (medians). The Web build
// hashes small bodies in JavaScript while the HMAC is on Web Crypto's thread pool, and large ones
// with crypto.subtle; this sweep is what placed the cut-off between the two (JS_HASH_MAX_BYTES).
import { recordBench } from '@signet/test-kit/bench-record';
import { Receiver } from '@upstash/qstash';
import * as nodeBuild from '../dist/index.node.js';
import * as webBuild from '../dist/index.web.js';
import { interleavedRounds, median, opsPerSecond, printTable, ratio } from './rounds.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 400);
const SIZES = (
  process.env.BENCH_SIZES ?? '0,256,1024,2048,4096,8192,16384,65536,66560,262144,1048576'
)
  .split(',')
  .map(Number);

const keys = {
  currentSigningKey: 'sig_3nbXyzJmTmh1s4T3Cw7GmTDmHrvm',
  nextSigningKey: 'sig_6VSwPaXoLqs7RAMnHZKqTdkRJx2C',
};
const url = 'https://app.example.com/api/hooks/order';
const receiver = new Receiver(keys);
const verifiers = {
  'signet (web build)': webBuild.createVerifier({ ...keys, maxBodyBytes: 2 ** 21 }),
  'signet (node build)': nodeBuild.createVerifier({ ...keys, maxBodyBytes: 2 ** 21 }),
};
const signer = nodeBuild.createSigner({ key: keys.currentSigningKey });

const cases = await Promise.all(
  SIZES.map(async (size) => {
    const body = 'x'.repeat(size);
    return { size, body, token: await signer.sign({ url, body }) };
  }),
);

const samples = await interleavedRounds(ROUNDS, TIME_MS, (bench) => {
  for (const { size, body, token } of cases) {
    for (const [name, verifier] of Object.entries(verifiers))
      bench.add(`${name}|${size}`, () => verifier.verify({ signature: token, body, url }));
    bench.add(`official Receiver|${size}`, () => receiver.verify({ signature: token, body, url }));
  }
});

const ops = (name: string, size: number) => median(samples.get(`${name}|${size}`) ?? [0]);
const human = (size: number) =>
  size >= 1048576
    ? `${size / 1048576} MiB`
    : size >= 1024
      ? `${(size / 1024).toFixed(size % 1024 ? 1 : 0)} KiB`
      : `${size} B`;

console.log(
  `\n@signet/core verify by body size, Node ${process.version}, median of ${ROUNDS} interleaved rounds (ops/s; ratios against the official Receiver)\n`,
);
const rows: string[][] = [
  ['body', 'web build', 'web ÷ official', 'node build', 'node ÷ official', 'official'],
];
let webNeverSlower = true;
for (const { size } of cases) {
  const official = ops('official Receiver', size);
  const web = ops('signet (web build)', size);
  const node = ops('signet (node build)', size);
  if (web < official * 0.9) webNeverSlower = false;
  rows.push([
    human(size),
    opsPerSecond(web),
    ratio(web, official),
    opsPerSecond(node),
    ratio(node, official),
    opsPerSecond(official),
  ]);
}
printTable(rows, 0);
console.log(
  `\nTarget: the web build never below the official Receiver (0.9× allowed for noise): ${webNeverSlower ? 'met' : 'MISSED'}.`,
);

recordBench({
  id: '11-core-sizes',
  title: '@signet/core verify by body size, 0 B to 1 MiB',
  conditions: `One process, tinybench, ${ROUNDS} interleaved rounds of ${TIME_MS} ms per case; bodies of \`x\`; current key. The Web build runs on Node's Web Crypto here; it hashes bodies up to 8 KiB in JavaScript and larger ones with crypto.subtle (the same sweep in Deno puts the even point at 16 KiB as well).`,
  unit: 'ops/s',
  rows: cases.flatMap(({ size }) =>
    (['signet (web build)', 'signet (node build)', 'official Receiver'] as const).map((name) => ({
      group: human(size),
      label:
        name === 'official Receiver'
          ? name
          : name === 'signet (web build)'
            ? 'Web build'
            : 'Node build',
      samples: samples.get(`${name}|${size}`) ?? [],
    })),
  ),
  ratios: cases.flatMap(({ size }) => [
    {
      group: human(size),
      label: 'Web build ÷ official',
      of: 'Web build',
      to: 'official Receiver',
      chart: true,
    },
    {
      group: human(size),
      label: 'Node build ÷ official',
      of: 'Node build',
      to: 'official Receiver',
    },
  ]),
});
