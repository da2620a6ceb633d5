// Upstash Workflow on signet dev, driven by the real `@upstash/workflow`: its `serve` runs a
// three-step workflow to the end (each step's result reaching the next), the run's history is
// served for the SDK's lazy fetch, and a step published after the run ended is refused.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@signet/test-kit';
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import { serve, Client as WorkflowClient } from '@upstash/workflow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness, tempDir } from './helpers/broker.ts';

let h: Harness;
let app: Server;
let origin: string;
const dir = tempDir();
const finished: { runId: string; result: unknown }[] = [];
const stepsRun: string[] = [];

/** A Web Request from Node's, for the framework-free `serve` handler. */
async function webRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value);
  const body = Buffer.concat(chunks);
  return new Request(`${origin}${req.url}`, {
    method: req.method,
    headers,
    ...(body.length > 0 && { body }),
  });
}

beforeAll(async () => {
  h = await startHarness({ memory: false, dataDir: dir.path });
  const qstashClient = new QStashClient({ baseUrl: h.server.url, token: h.server.token });
  const receiver = new Receiver({
    currentSigningKey: h.server.keys.current,
    nextSigningKey: h.server.keys.next,
  });
  const { handler } = serve<{ orderId: string }>(
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
  app = createServer(async (req, res) => {
    const response = await handler(await webRequest(req));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
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
