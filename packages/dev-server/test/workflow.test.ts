// Upstash Workflow on signet dev, driven by the real `@upstash/workflow`: its `serve` runs a
// three-step workflow to the end (each step's result reaching the next), the run's history is
// served for the SDK's lazy fetch, and a step published after the run ended is refused.
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { DEV_SIGNING_KEYS } from '@signet/core';
import { eventually } from '@signet/test-kit';
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import { serve, Client as WorkflowClient } from '@upstash/workflow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEV_TOKEN } from '../src/server.ts';
import { type Harness, startHarness, tempDir } from './helpers/broker.ts';
import { startCli } from './helpers/cli.ts';
import { byPathPrefix, type FetchServer, startFetchServer } from './helpers/fetch-server.ts';

let h: Harness;
let app: FetchServer;
let origin: string;
const dir = tempDir();
const finished: { runId: string; result: unknown }[] = [];
const stepsRun: string[] = [];
const failures: { runId: string; payload: unknown; failResponse: string }[] = [];

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  h = await startHarness({ memory: false, dataDir: dir.path });
  const qstashClient = new QStashClient({ baseUrl: h.server.url, token: h.server.token });
  const receiver = new Receiver({
    currentSigningKey: h.server.keys.current,
    nextSigningKey: h.server.keys.next,
  });
  const parallel = serve<{ n: number }>(
    async (context) => {
      const [a, b, c] = await Promise.all([
        context.run('a', async () => context.requestPayload.n + 1),
        context.run('b', async () => context.requestPayload.n + 2),
        context.run('c', async () => context.requestPayload.n + 3),
      ]);
      await context.sleep('nap', 1);
      const sum = await context.run('sum', async () => a + b + c);
      finished.push({ runId: context.workflowRunId, result: sum });
    },
    { qstashClient, receiver },
  ).handler;
  const sleepy = serve<unknown>(
    async (context) => {
      await context.run('first', async () => {
        stepsRun.push('sleepy first');
      });
      await context.sleep('long nap', 3600);
      await context.run('never', async () => {
        stepsRun.push('sleepy never');
      });
    },
    { qstashClient, receiver },
  ).handler;
  const failing = serve<{ orderId: string }>(
    async (context) => {
      await context.run('always fails', async () => {
        throw new Error('the warehouse is on fire');
      });
    },
    {
      qstashClient,
      receiver,
      failureFunction: async ({ context, failResponse }) => {
        failures.push({
          runId: context.workflowRunId,
          payload: context.requestPayload,
          failResponse,
        });
      },
    },
  ).handler;
  const waiting = serve<{ eventId: string; timeout: number }>(
    async (context) => {
      const { eventId, timeout } = context.requestPayload;
      const { eventData, timeout: timedOut } = await context.waitForEvent('payment', eventId, {
        timeout,
      });
      const outcome = await context.run('after wait', async () => ({ eventData, timedOut }));
      finished.push({ runId: context.workflowRunId, result: outcome });
    },
    { qstashClient, receiver },
  ).handler;
  const { handler: sequential } = serve<{ orderId: string }>(
    async (context) => {
      const reserved = await context.run('reserve', async () => {
        stepsRun.push('reserve');
        return { orderId: context.requestPayload.orderId, reserved: true };
      });
      const charged = await context.run('charge', async () => {
        stepsRun.push('charge');
        return { ...reserved, charged: 42 };
      });
      const shipped = await context.run('ship', async () => {
        stepsRun.push('ship');
        return { ...charged, shipped: true };
      });
      finished.push({ runId: context.workflowRunId, result: shipped });
      return shipped;
    },
    { qstashClient, receiver },
  );
  const routes: [string, (request: Request) => Promise<Response>][] = [
    ['/parallel', parallel],
    ['/sleepy', sleepy],
    ['/failing', failing],
    ['/waiting', waiting],
  ];
  app = await startFetchServer(byPathPrefix(routes, sequential));
  origin = app.origin;
});
afterAll(async () => {
  app?.close();
  await h.close();
  dir.remove();
});

it('runs a three-step workflow to the end, each step once, results passed along', async () => {
  const client = new WorkflowClient({ baseUrl: h.server.url, token: h.server.token });
  const { workflowRunId } = await client.trigger({
    url: `${origin}/workflow`,
    body: { orderId: 'o_7' },
  });
  const done = await eventually('the run to finish', () =>
    finished.find((run) => run.runId === workflowRunId),
  );
  expect(done.result).toEqual({ orderId: 'o_7', reserved: true, charged: 42, shipped: true });
  expect(stepsRun).toEqual(['reserve', 'charge', 'ship']);

  // The history the SDK fetches when a delivery's body is left empty: trigger, then the steps.
  const history = (await (await h.api(`/v2/workflows/runs/${workflowRunId}`)).json()) as {
    body: string;
  }[];
  expect(history).toHaveLength(4);
  expect(JSON.parse(Buffer.from(history[0]?.body ?? '', 'base64').toString())).toEqual({
    orderId: 'o_7',
  });

  // The run has ended: a step published for it now is refused, as hosted QStash does.
  const late = await h.api(`/v2/publish/${origin}/workflow`, {
    method: 'POST',
    headers: { 'upstash-workflow-runid': workflowRunId, 'upstash-workflow-init': 'false' },
    body: '{}',
  });
  expect(late.status).toBe(400);
});

it('runs parallel steps and a sleep', async () => {
  const client = new WorkflowClient({ baseUrl: h.server.url, token: h.server.token });
  const started = Date.now();
  const { workflowRunId } = await client.trigger({ url: `${origin}/parallel`, body: { n: 10 } });
  const done = await eventually(
    'the run to finish',
    () => finished.find((run) => run.runId === workflowRunId),
    { timeoutMs: 15_000 },
  );
  expect(done.result).toBe(36);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // the one-second sleep was slept
});

it('cancels a sleeping run by id: its waiting step never runs', async () => {
  const client = new WorkflowClient({ baseUrl: h.server.url, token: h.server.token });
  const { workflowRunId } = await client.trigger({ url: `${origin}/sleepy`, body: {} });
  await eventually('the first step', () => stepsRun.includes('sleepy first'));
  // The sleep is a message waiting an hour: wait until it is stored, then cancel the run.
  await eventually('the sleep to be scheduled', async () => {
    const history = (await (
      await h.api(`/v2/workflows/runs/${workflowRunId}`)
    ).json()) as unknown[];
    return history.length >= 3;
  });
  const cancelledAt = Date.now();
  expect(await client.cancel([workflowRunId])).toEqual({ cancelled: 1 });
  expect(await client.cancel([workflowRunId])).toEqual({ cancelled: 0 });
  // Make every delayed message due, then let one more delivery through: had the sleep's message
  // survived the cancel, it would have been started by now.
  await h.api('/v2/dev/deliver-now', { method: 'POST' });
  const { messageId: sentinel } = (await h.client.publish({
    url: h.receiver.url('/after-run-cancel'),
    body: 'x',
  })) as { messageId: string };
  await h.receiver.waitFor(1, '/after-run-cancel');
  const started = await h.client.logs({ filter: { state: 'ACTIVE', fromDate: cancelledAt } });
  expect(started.logs.map((log) => log.messageId)).toEqual([sentinel]);
  expect(stepsRun).not.toContain('sleepy never');
});

it('finishes a run whose broker was killed with SIGKILL during a sleep, each step once', async () => {
  const data = tempDir();
  const port = await freePort();
  const args = ['dev', '--port', String(port), '--data', data.path, '--quiet'];
  const runs: string[] = [];
  const ended: string[] = [];
  const brokerUrl = `http://127.0.0.1:${port}`;
  const { handler } = serve<unknown>(
    async (context) => {
      await context.run('before', async () => {
        runs.push('before');
      });
      await context.sleep('across the kill', 2);
      await context.run('after', async () => {
        runs.push('after');
      });
      ended.push(context.workflowRunId);
    },
    {
      qstashClient: new QStashClient({ baseUrl: brokerUrl, token: DEV_TOKEN }),
      receiver: new Receiver({
        currentSigningKey: DEV_SIGNING_KEYS.current,
        nextSigningKey: DEV_SIGNING_KEYS.next,
      }),
    },
  );
  const endpoint = await startFetchServer(handler);
  const url = `${endpoint.origin}/durable`;
  let broker = await startCli(args);
  try {
    const client = new WorkflowClient({ baseUrl: brokerUrl, token: DEV_TOKEN });
    const { workflowRunId } = await client.trigger({ url, body: {} });
    await eventually('the step before the sleep', () => runs.includes('before'));
    await eventually('the sleep to be stored', async () => {
      const history = (await (
        await fetch(`${brokerUrl}/v2/workflows/runs/${workflowRunId}`, {
          headers: { authorization: `Bearer ${DEV_TOKEN}` },
        })
      ).json()) as unknown[];
      return history.length >= 3;
    });
    broker.child.kill('SIGKILL');
    expect(await broker.exited).toBe('SIGKILL');
    broker = await startCli(args);
    await eventually('the run to finish after the restart', () => ended.includes(workflowRunId), {
      timeoutMs: 15_000,
    });
    expect(runs).toEqual(['before', 'after']);
  } finally {
    broker.child.kill('SIGTERM');
    await broker.exited;
    endpoint.close();
    data.remove();
  }
});

it('finishes a run whose broker was killed with SIGKILL while it waited for an event', async () => {
  const data = tempDir();
  const port = await freePort();
  const args = ['dev', '--port', String(port), '--data', data.path, '--quiet'];
  const results: unknown[] = [];
  const brokerUrl = `http://127.0.0.1:${port}`;
  const { handler } = serve<unknown>(
    async (context) => {
      const { eventData } = await context.waitForEvent('payment', 'paid-across-the-kill', {
        timeout: 600,
      });
      await context.run('record', async () => {
        results.push(eventData);
      });
    },
    {
      qstashClient: new QStashClient({ baseUrl: brokerUrl, token: DEV_TOKEN }),
      receiver: new Receiver({
        currentSigningKey: DEV_SIGNING_KEYS.current,
        nextSigningKey: DEV_SIGNING_KEYS.next,
      }),
    },
  );
  const endpoint = await startFetchServer(handler);
  let broker = await startCli(args);
  try {
    const client = new WorkflowClient({ baseUrl: brokerUrl, token: DEV_TOKEN });
    await client.trigger({ url: `${endpoint.origin}/waits`, body: {} });
    await eventually('the run to wait', async () => {
      const waiters = await client.getWaiters({ eventId: 'paid-across-the-kill' });
      return waiters.length === 1;
    });
    broker.child.kill('SIGKILL');
    expect(await broker.exited).toBe('SIGKILL');
    broker = await startCli(args);
    // The wait survived: the event reaches the run, which records it once.
    const notified = await client.notify({ eventId: 'paid-across-the-kill', eventData: 'ok' });
    expect(notified).toHaveLength(1);
    await eventually('the run to end successfully', async () => {
      const { runs } = await client.logs({ filter: { state: 'RUN_SUCCESS' } });
      return runs.length === 1;
    });
    expect(results).toEqual(['ok']);
  } finally {
    broker.child.kill('SIGTERM');
    await broker.exited;
    endpoint.close();
    data.remove();
  }
});

it('calls the failure function with the run, its payload and the error once a step gives up', async () => {
  const client = new WorkflowClient({ baseUrl: h.server.url, token: h.server.token });
  const { workflowRunId } = await client.trigger({
    url: `${origin}/failing`,
    body: { orderId: 'o_9' },
    retries: 0,
  });
  const failure = await eventually('the failure function', () =>
    failures.find((entry) => entry.runId === workflowRunId),
  );
  expect(failure.payload).toEqual({ orderId: 'o_9' });
  expect(failure.failResponse).toContain('the warehouse is on fire');
});

it('waits for an event: notify resumes the run with its data, and no notify times it out', async () => {
  const client = new WorkflowClient({ baseUrl: h.server.url, token: h.server.token });
  const paid = await client.trigger({
    url: `${origin}/waiting`,
    body: { eventId: 'payment-o_1', timeout: 60 },
  });
  const waiters = await eventually('the run to wait', async () => {
    const list = await client.getWaiters({ eventId: 'payment-o_1' });
    return list.length === 1 && list;
  });
  expect(waiters[0]?.url).toBe(`${origin}/waiting`);
  expect(JSON.stringify(waiters)).not.toContain(h.server.token);
  const notified = await client.notify({ eventId: 'payment-o_1', eventData: { amount: 42 } });
  expect(notified).toHaveLength(1);
  const done = await eventually('the notified run to finish', () =>
    finished.find((run) => run.runId === paid.workflowRunId),
  );
  expect(done.result).toEqual({ eventData: { amount: 42 }, timedOut: false });
  expect(await client.getWaiters({ eventId: 'payment-o_1' })).toEqual([]);

  const unpaid = await client.trigger({
    url: `${origin}/waiting`,
    body: { eventId: 'payment-o_2', timeout: 1 },
  });
  const timedOut = await eventually(
    'the waiting run to time out',
    () => finished.find((run) => run.runId === unpaid.workflowRunId),
    { timeoutMs: 15_000 },
  );
  expect(timedOut.result).toEqual({ timedOut: true });
  expect(await client.notify({ eventId: 'payment-o_2', eventData: 'late' })).toEqual([]);
});
