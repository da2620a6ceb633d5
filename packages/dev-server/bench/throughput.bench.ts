// Publish→delivered throughput and publish latency of `signet dev`, durable and in memory.
// The broker runs as its own process (as `signet dev` does); this process publishes and
// receives. Run with `pnpm bench` (after `pnpm build`).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, recordBench } from '@signet/test-kit/bench-record';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TOKEN = 'bench-token';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const PUBLISHERS = 32;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BODY = JSON.stringify({ order: 'o_123', items: [1, 2, 3], note: 'x'.repeat(200) });

// The broker gets core 0 to itself and this process (publishers and receiver) the others, so
// the two do not fight over one core and runs are comparable. Skipped where taskset is missing.
const pin =
  process.platform === 'linux' &&
  availableParallelism() >= 2 &&
  spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (pin) spawnSync('taskset', ['-pc', `1-${availableParallelism() - 1}`, String(process.pid)]);

async function startBroker(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [CLI, 'dev', '--port', '0', '--token', TOKEN, '--quiet', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}: ${output}`)));
  });
  return { url, child };
}

const agent = new Agent({ keepAlive: true, maxSockets: PUBLISHERS });

function publish(
  broker: string,
  destination: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(`${broker}/v2/publish/${destination}`, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 201
          ? resolve(performance.now() - started)
          : reject(new Error(`publish: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** One broker (durable or in memory) and its receiver, ready for interleaved rounds. */
async function prepare(label: string, args: string[]) {
  let delivered = 0;
  let onDelivered: () => void = () => {};
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.end('ok');
      delivered++;
      onDelivered();
    });
  });
  receiver.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const destination = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const { url, child } = await startBroker(args);
  const body = BODY;

  // Warm up connections and the JIT.
  await Promise.all(Array.from({ length: 200 }, () => publish(url, destination, body)));
  await waitFor(() => delivered >= 200);

  return {
    label,
    /** Delivered messages/s: PUBLISHERS concurrent publishers, the clock stops at the last delivery. */
    async round(): Promise<number> {
      delivered = 0;
      const done = new Promise<void>((resolve) => {
        onDelivered = () => delivered >= MESSAGES && resolve();
      });
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: PUBLISHERS }, async () => {
          while (next < MESSAGES) {
            next++;
            await publish(url, destination, body);
          }
        }),
      );
      await done;
      onDelivered = () => {};
      return MESSAGES / ((performance.now() - started) / 1000);
    },
    /** Publish latency: one publish at a time while deliveries flow in the background. */
    async latency(): Promise<{ p50: number; p99: number }> {
      const samples: number[] = [];
      for (let i = 0; i < LATENCY_SAMPLES; i++) samples.push(await publish(url, destination, body));
      samples.sort((x, y) => x - y);
      return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
    },
    close() {
      child.kill('SIGTERM');
      receiver.close();
      receiver.closeAllConnections();
    },
  };
}

/**
 * A flow-controlled run: every message shares one key limited to `rate` starts a second, all
 * published at once. What comes out should be the configured rate, not more, and not much less.
 */
async function measureFlow(rate: number, count: number) {
  const times: number[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.end('ok');
      times.push(performance.now());
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const destination = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/flow`;
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-flow-'));
  const { url, child } = await startBroker(['--data', dir]);
  try {
    const headers = {
      'upstash-flow-control-key': 'bench',
      'upstash-flow-control-value': `rate=${rate}, period=1s`,
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: PUBLISHERS }, async () => {
        while (next < count) {
          next++;
          await publish(url, destination, '{}', headers);
        }
      }),
    );
    await waitFor(() => times.length >= count);
    // Periods are fixed windows from the first start, and each window's starts go out at once:
    // `count` messages use the windows from the first delivery up to one period past the last.
    const seconds = ((times.at(-1) as number) - (times[0] as number)) / 1000 + 1;
    return { rate, count, achieved: count / seconds };
  } finally {
    child.kill('SIGTERM');
    receiver.close();
    receiver.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const dataDir = mkdtempSync(join(tmpdir(), 'signet-bench-'));
try {
  const modes = [
    await prepare('durable (SQLite WAL)', ['--data', dataDir]),
    await prepare('in memory (--memory)', ['--memory']),
  ];
  const samples = new Map<string, number[]>(modes.map((mode) => [mode.label, []]));
  try {
    // Interleaved rounds: one round on a shared machine can be off by a third, and drift
    // then hits both modes alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of modes) samples.get(mode.label)?.push(await mode.round());
    }
    const latencies: { p50: number; p99: number }[] = [];
    for (const mode of modes) latencies.push(await mode.latency());
    const throughput = (label: string) => median(samples.get(label) ?? []);
    const durable = throughput(modes[0]?.label ?? '');
    console.log(
      `\nsignet dev: throughput is the median of ${ROUNDS} interleaved rounds of ${MESSAGES} messages from ${PUBLISHERS} concurrent publishers;` +
        ` latency over ${LATENCY_SAMPLES} sequential publishes${pin ? '; this process on cores 1+' : ''}\n`,
    );
    console.table(
      modes.map((mode, i) => ({
        mode: mode.label,
        'delivered msg/s': Math.round(throughput(mode.label)),
        'vs durable': `${(throughput(mode.label) / durable).toFixed(2)}×`,
        'publish p50 ms': latencies[i]?.p50.toFixed(2),
        'publish p99 ms': latencies[i]?.p99.toFixed(2),
      })),
    );
    recordBench({
      id: '30-broker',
      title: 'signet dev: publish → delivered throughput',
      conditions: `The broker in its own process, publishers and receiver in this one${pin ? ' (pinned to the other cores)' : ''}; ${ROUNDS} interleaved rounds of ${MESSAGES} messages (${Buffer.byteLength(BODY)} B JSON each) from ${PUBLISHERS} concurrent publishers through \`/v2/publish\`, the clock stopping at the last delivery. Publish latency p50/p99 over ${LATENCY_SAMPLES} sequential publishes: ${modes.map((mode, i) => `${mode.label} ${latencies[i]?.p50.toFixed(2)}/${latencies[i]?.p99.toFixed(2)} ms`).join(', ')}.`,
      unit: 'messages/s',
      rows: modes.map((mode) => ({ label: mode.label, samples: samples.get(mode.label) ?? [] })),
      ratios: [
        {
          label: 'in memory ÷ durable',
          of: 'in memory (--memory)',
          to: 'durable (SQLite WAL)',
        },
      ],
    });
  } finally {
    for (const mode of modes) mode.close();
  }
  const flow = await measureFlow(200, Math.min(MESSAGES, 600));
  console.log(
    `\nflow control: ${flow.count} messages on one key limited to ${flow.rate}/s came out at ${Math.round(flow.achieved)}/s (${((flow.achieved / flow.rate) * 100).toFixed(0)} % of the configured rate; over 100 % would be a broken limit)`,
  );
} finally {
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
