// Upstash Workflow on `signet dev`: runs per second of a three-step workflow, served by the real
// `@upstash/workflow` `serve` in this process, the broker in its own (durable, pinned to core 0
// like throughput.bench.ts). Run with `pnpm bench` (after `pnpm build`).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_SIGNING_KEYS } from '@signet/core';
import { median, recordBench } from '@signet/test-kit/bench-record';
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import { serve, Client as WorkflowClient } from '@upstash/workflow';
import { startFetchServer } from '../test/helpers/fetch-server.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TOKEN = 'bench-token';
const RUNS = Number(process.env.BENCH_RUNS ?? process.env.BENCH_MESSAGES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const pin =
  process.platform === 'linux' &&
  availableParallelism() >= 2 &&
  spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (pin) spawnSync('taskset', ['-pc', `1-${availableParallelism() - 1}`, String(process.pid)]);

const dataDir = mkdtempSync(join(tmpdir(), 'signet-bench-workflow-'));
const broker: ChildProcess = spawn(
  pin ? 'taskset' : process.execPath,
  [
    ...(pin ? ['-c', '0', process.execPath] : []),
    CLI,
    'dev',
    '--port',
    '0',
    '--token',
    TOKEN,
    '--quiet',
    '--data',
    dataDir,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const brokerUrl = await new Promise<string>((resolve, reject) => {
  let output = '';
  broker.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
    const match = /running at (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1] as string);
  });
  broker.once('exit', (code) => reject(new Error(`broker exited with ${code}: ${output}`)));
});

let finished = 0;
let onFinished: () => void = () => {};
const { handler } = serve<{ n: number }>(
  async (context) => {
    const a = await context.run('one', async () => context.requestPayload.n + 1);
    const b = await context.run('two', async () => a * 2);
    await context.run('three', async () => b - 1);
    finished++;
    onFinished();
  },
  {
    qstashClient: new QStashClient({ baseUrl: brokerUrl, token: TOKEN }),
    receiver: new Receiver({
      currentSigningKey: DEV_SIGNING_KEYS.current,
      nextSigningKey: DEV_SIGNING_KEYS.next,
    }),
  },
);
const endpoint = await startFetchServer(handler);
const { origin } = endpoint;

try {
  const client = new WorkflowClient({ baseUrl: brokerUrl, token: TOKEN });
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    finished = 0;
    const done = new Promise<void>((resolve) => {
      onFinished = () => finished >= RUNS && resolve();
    });
    const started = performance.now();
    for (let i = 0; i < RUNS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, RUNS - i) }, (_, j) =>
          client.trigger({ url: `${origin}/flow`, body: { n: i + j } }),
        ),
      );
    }
    await done;
    while (endpoint.active() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    rounds.push(RUNS / ((performance.now() - started) / 1000));
  }
  const perSecond = median(rounds);
  console.log(
    `\nUpstash Workflow on signet dev (durable${pin ? ', broker pinned to core 0' : ''}): ${RUNS} runs of a three-step workflow, median of ${ROUNDS} rounds: ${Math.round(perSecond)} runs/s (${Math.round(perSecond * 4)} deliveries/s: the trigger and three steps each)`,
  );
  recordBench({
    id: '31-workflow',
    title: 'signet dev: Upstash Workflow runs',
    conditions: `The broker (durable) in its own process${pin ? ', pinned to core 0' : ''}; \`@upstash/workflow\`'s own \`serve\` and \`Client.trigger\` in this one; ${ROUNDS} rounds of ${RUNS} runs of a three-step workflow (four deliveries each: the trigger and three steps), triggered 50 at a time, the clock stopping when the last run finished.`,
    unit: 'runs/s',
    rows: [{ label: 'three-step runs', samples: rounds }],
    ratios: [],
  });
} finally {
  broker.kill('SIGTERM');
  endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
}
