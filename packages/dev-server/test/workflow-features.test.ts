// The rest of Upstash Workflow on signet dev, driven by the real `@upstash/workflow` (`serve`,
// `serveMany`, `Client`): context.call, invoke across serveMany, batch triggers with labels, run
// logs and their filters, cancelling by filter and all, the workflow DLQ (list, resume, restart,
// failure function retry, delete), webhooks and events sent before the wait.

import { eventually } from '@signet/test-kit';
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import {
  serve,
  Client as WorkflowClient,
  type WorkflowContext,
  type WorkflowRunLog,
} from '@upstash/workflow';
import { createWorkflow, serveMany } from '@upstash/workflow/nextjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/broker.ts';
import { byPathPrefix, type FetchServer, startFetchServer } from './helpers/fetch-server.ts';

let h: Harness;
let app: FetchServer;
let origin: string;
let client: WorkflowClient;
const finished = new Map<string, unknown>();
const ran: string[] = [];
const failures: string[] = [];
/** The flaky workflow's step fails until this is true. */
let warehouseOpen = false;

beforeAll(async () => {
  h = await startHarness();
  client = new WorkflowClient({ baseUrl: h.server.url, token: h.server.token });
  const qstashClient = new QStashClient({ baseUrl: h.server.url, token: h.server.token });
  const receiver = new Receiver({
    currentSigningKey: h.server.keys.current,
    nextSigningKey: h.server.keys.next,
  });
  const options = { qstashClient, receiver };

  const caller = serve<{ url: string }>(async (context) => {
    const response = await context.call('ask the warehouse', {
      url: context.requestPayload.url,
      method: 'POST',
      body: JSON.stringify({ sku: 'tea' }),
    });
    finished.set(context.workflowRunId, { status: response.status, body: response.body });
  }, options).handler;

  // A workflow needs a step: `serve` refuses a route that returns before its first one.
  const child = createWorkflow(async (context: WorkflowContext<{ n: number }>) => {
    const doubled = await context.run('double', async () => context.requestPayload.n * 2);
    return { doubled };
  }, options);
  const parent = createWorkflow(async (context) => {
    const result = await context.invoke('double it', { workflow: child, body: { n: 21 } });
    finished.set(context.workflowRunId, result);
  }, options);
  const many = serveMany({ parent, child }).POST;

  const labelled = serve<{ n: number }>(async (context) => {
    const n = await context.run('add one', async () => context.requestPayload.n + 1);
    await context.run('add two', async () => n + 2);
    finished.set(context.workflowRunId, n + 2);
    return { total: n + 2 };
  }, options).handler;

  const sleepy = serve(async (context) => {
    await context.sleep('an hour', 3600);
    ran.push('sleepy woke');
  }, options).handler;

  const flaky = serve<{ order: string }>(
    async (context) => {
      await context.run('reserve', async () => {
        ran.push(`reserve ${context.requestPayload.order}`);
      });
      await context.run('ship', async () => {
        if (!warehouseOpen) throw new Error('the warehouse is closed');
        ran.push(`ship ${context.requestPayload.order}`);
      });
      finished.set(context.workflowRunId, 'shipped');
    },
    {
      ...options,
      failureFunction: async ({ context }) => {
        failures.push(context.workflowRunId);
      },
    },
  ).handler;

  const hooked = serve(async (context) => {
    const webhook = await context.createWebhook('create a webhook');
    await context.run('hand out the URL', async () => {
      ran.push(`webhook ${webhook.webhookUrl}`);
    });
    const { request, timeout } = await context.waitForWebhook('the callback', webhook, '60s');
    const text = request ? await request.text() : '';
    finished.set(context.workflowRunId, { timeout, method: request?.method, text });
  }, options).handler;

  const early = serve(async (context) => {
    await context.run('before', async () => {
      ran.push(`early ${context.workflowRunId}`);
    });
    await context.sleep('let the event come first', 1);
    const { eventData, timeout } = await context.waitForEvent('the event', 'early-event', {
      timeout: 60,
    });
    finished.set(context.workflowRunId, { eventData, timeout });
  }, options).handler;

  const routes: [string, (request: Request) => Promise<Response>][] = [
    ['/call', caller],
    ['/warehouse', async () => Response.json({ stock: 7 }, { status: 201 })],
    ['/many/', many],
    ['/labelled', labelled],
    ['/sleepy', sleepy],
    ['/flaky', flaky],
    ['/hooked', hooked],
    ['/early', early],
  ];
  app = await startFetchServer(
    byPathPrefix(routes, async () => new Response('no route', { status: 404 })),
  );
  origin = app.origin;
});
afterAll(async () => {
  app?.close();
  await h.close();
});

const runOf = async (workflowRunId: string): Promise<WorkflowRunLog> => {
  const { runs } = await client.logs({ workflowRunId });
  const [run] = runs;
  if (!run) throw new Error(`no log for ${workflowRunId}`);
  return run;
};

it('context.call: the run goes on with the called endpoint’s status and body', async () => {
  const { workflowRunId } = await client.trigger({
    url: `${origin}/call`,
    body: { url: `${origin}/warehouse` },
  });
  const result = await eventually('the call’s result', () => finished.get(workflowRunId));
  expect(result).toEqual({ status: 201, body: { stock: 7 } });
  expect((await runOf(workflowRunId)).workflowState).toBe('RUN_SUCCESS');
});

it('context.call to an endpoint that never answers: the run goes on with the failure', async () => {
  const { workflowRunId } = await client.trigger({
    url: `${origin}/call`,
    body: { url: 'http://127.0.0.1:1/nothing-listens-here' },
  });
  const result = (await eventually('the call’s result', () => finished.get(workflowRunId))) as {
    status: number;
  };
  expect(result.status).toBe(0);
  expect((await runOf(workflowRunId)).workflowState).toBe('RUN_SUCCESS');
});

it('invokes a workflow served by the same serveMany and gets its result', async () => {
  const { workflowRunId } = await client.trigger({ url: `${origin}/many/parent`, body: {} });
  const result = await eventually('the invoke’s result', () => finished.get(workflowRunId));
  expect(result).toEqual({ body: { doubled: 42 }, isFailed: false, isCanceled: false });
  const { runs } = await client.logs({ filter: { workflowUrl: `${origin}/many/child` } });
  expect(runs[0]?.invoker?.workflowRunId).toBe(workflowRunId);
  expect(runs[0]?.workflowRunResponse).toBe(JSON.stringify({ doubled: 42 }));
});

it('triggers a batch with labels; logs filter by run, label and state, a page at a time', async () => {
  const triggered = await client.trigger([
    { url: `${origin}/labelled`, body: { n: 1 }, label: 'batch-a' },
    { url: `${origin}/labelled`, body: { n: 10 }, label: ['batch-b', 'vip'] },
  ]);
  expect(triggered).toHaveLength(2);
  const [a, b] = triggered.map((run) => run.workflowRunId) as [string, string];
  await eventually('both runs to finish', () => finished.has(a) && finished.has(b));
  expect(finished.get(b)).toBe(13);
  await eventually('both runs to be logged as finished', async () => {
    const run = await runOf(b);
    return run.workflowState === 'RUN_SUCCESS';
  });

  const log = await runOf(b);
  expect(log.labels).toEqual(['batch-b', 'vip']);
  expect(log.workflowRunResponse).toBe(JSON.stringify({ total: 13 }));
  const names = log.steps.flatMap((group) => group.steps.map((step) => step.stepName));
  expect(names).toEqual(['init', 'add one', 'add two']);
  expect(log.steps[1]?.steps[0]).toMatchObject({ stepType: 'Run', out: 11 });

  const vip = await client.logs({ filter: { label: 'vip' } });
  expect(vip.runs.map((run) => run.workflowRunId)).toEqual([b]);
  const first = await client.logs({ count: 1, filter: { workflowUrl: `${origin}/labelled` } });
  expect(first.runs).toHaveLength(1);
  const second = await client.logs({
    count: 1,
    cursor: first.cursor,
    filter: { workflowUrl: `${origin}/labelled` },
  });
  expect([first.runs[0]?.workflowRunId, second.runs[0]?.workflowRunId].sort()).toEqual(
    [a, b].sort(),
  );
  expect((await client.logs({ filter: { state: 'RUN_CANCELED', label: 'vip' } })).runs).toEqual([]);
  const bad = await h.api('/v2/workflows/events?state=DONE');
  expect(bad.status).toBe(400);

  // The broker page lists the run and opens it to its steps and their results.
  const overview = await (await fetch(`${h.server.url}/`)).text();
  expect(overview).toContain(`href="/runs/${b}"`);
  const page = await fetch(`${h.server.url}/runs/${b}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  for (const text of ['>success<', 'add one', 'add two', '<code>11</code>', 'batch-b, vip'])
    expect(html).toContain(text);
  expect(html).not.toContain('http-equiv="refresh"');
  expect((await fetch(`${h.server.url}/runs/wfr_missing`)).status).toBe(404);
});

it('cancels runs by URL prefix, then all of them, and never without being asked', async () => {
  const sleepers = await client.trigger([
    { url: `${origin}/sleepy/a` },
    { url: `${origin}/sleepy/a` },
    { url: `${origin}/sleepy/b` },
  ]);
  const ids = sleepers.map((run) => run.workflowRunId);
  await eventually('all three to sleep', async () => {
    const states = await Promise.all(ids.map(async (id) => (await runOf(id)).steps.length));
    return states.every((groups) => groups >= 2);
  });
  const refused = await h.api('/v2/workflows/runs', { method: 'DELETE' });
  expect(refused.status).toBe(400);
  expect(
    await client.cancel({ filter: { workflowUrlStartingWith: `${origin}/sleepy/a` } }),
  ).toEqual({ cancelled: 2 });
  expect((await runOf(ids[2] as string)).workflowState).toBe('RUN_STARTED');
  const all = (await client.cancel({ all: true })) as { cancelled: number };
  expect(all.cancelled).toBeGreaterThanOrEqual(1);
  expect((await runOf(ids[2] as string)).workflowState).toBe('RUN_CANCELED');
  await h.api('/v2/dev/deliver-now', { method: 'POST' });
  expect(ran).not.toContain('sleepy woke');
});

it('dead letters of failed runs: listed, resumed from the failed step, restarted, deleted', async () => {
  const { workflowRunId: first } = await client.trigger({
    url: `${origin}/flaky`,
    body: { order: 'o1' },
    retries: 0,
  });
  const { workflowRunId: second } = await client.trigger({
    url: `${origin}/flaky`,
    body: { order: 'o2' },
    retries: 0,
  });
  await eventually('both failure functions', () =>
    [first, second].every((id) => failures.includes(id)),
  );
  const failedPage = await (await fetch(`${h.server.url}/runs/${first}`)).text();
  expect(failedPage).toContain('>failed<');
  expect(failedPage).toContain('the warehouse is closed');
  const { messages } = await client.dlq.list({ filter: { workflowRunId: first } });
  expect(messages).toHaveLength(1);
  const [dead] = messages;
  expect(dead).toMatchObject({ workflowRunId: first, workflowUrl: `${origin}/flaky` });
  expect((await runOf(first)).workflowState).toBe('RUN_FAILED');
  expect((await runOf(first)).dlqId).toBe(dead?.dlqId);
  await eventually('the failure function to be recorded as delivered', async () => {
    const [entry] = (await client.dlq.list({ filter: { workflowRunId: first } })).messages;
    return entry?.failureCallbackInfo?.state === 'CALLBACK_SUCCESS';
  });

  // Retry the failure function: it runs again for the same run.
  await client.dlq.retryFailureFunction({ dlqId: dead?.dlqId as string });
  await eventually(
    'the failure function again',
    () => failures.filter((id) => id === first).length === 2,
  );

  warehouseOpen = true;
  const resumed = await client.dlq.resume([dead?.dlqId as string]);
  const resumedId = resumed.workflowRuns[0]?.workflowRunId as string;
  expect(resumedId).not.toBe(first);
  await eventually('the resumed run to ship', () => finished.get(resumedId) === 'shipped');
  // Resumed from the failed step: "reserve" ran once for o1, before the failure.
  expect(ran.filter((entry) => entry === 'reserve o1')).toHaveLength(1);

  const [secondDead] = (await client.dlq.list({ filter: { workflowRunId: second } })).messages;
  const restarted = await client.dlq.restart(secondDead?.dlqId as string);
  const restartedId = restarted.workflowRuns[0]?.workflowRunId as string;
  await eventually('the restarted run to ship', () => finished.get(restartedId) === 'shipped');
  expect(ran.filter((entry) => entry === 'reserve o2')).toHaveLength(2);

  expect((await client.dlq.list()).messages).toEqual([]);
  warehouseOpen = false;
  const { workflowRunId: third } = await client.trigger({
    url: `${origin}/flaky`,
    body: { order: 'o3' },
    retries: 0,
  });
  await eventually('the third failure', () => failures.includes(third));
  expect(await client.dlq.delete({ filter: { workflowRunId: third } })).toMatchObject({
    deleted: 1,
  });
  expect((await client.dlq.list()).messages).toEqual([]);
});

it('webhooks: a call to the URL the SDK handed out resumes the run with the request', async () => {
  const { workflowRunId } = await client.trigger({ url: `${origin}/hooked` });
  const line = await eventually('the webhook URL', () =>
    ran.find((entry) => entry.startsWith('webhook ')),
  );
  const webhookUrl = line.slice('webhook '.length);
  expect(webhookUrl).toContain(`/v2/workflows/hooks/`);
  // Sent at once: if the run is not waiting yet, the call is kept until it is.
  const response = await fetch(webhookUrl, { method: 'POST', body: 'payment ok' });
  expect(response.status).toBe(200);
  const result = await eventually('the run to finish', () => finished.get(workflowRunId));
  expect(result).toEqual({ timeout: false, method: 'POST', text: 'payment ok' });
});

it('an event sent to a run before it waits is waiting for it when it does', async () => {
  const { workflowRunId } = await client.trigger({ url: `${origin}/early` });
  await eventually('the step before the wait', () => ran.includes(`early ${workflowRunId}`));
  await client.notify({ eventId: 'early-event', eventData: { paid: true }, workflowRunId });
  const result = await eventually('the run to finish', () => finished.get(workflowRunId), {
    timeoutMs: 10_000,
  });
  expect(result).toEqual({ eventData: { paid: true }, timeout: false });
});
