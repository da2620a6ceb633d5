// A real destination on loopback: records every delivery and checks its signature with both the
// official @upstash/qstash Receiver and @signet/core, against the keys the broker has right now.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, type SigningKeys } from '@signet/core';
import { Receiver as OfficialReceiver } from '@upstash/qstash';

export interface Delivery {
  path: string;
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** true, or the reason the official Receiver refused it. */
  official: true | string;
  /** true, or the reason @signet/core refused it. */
  signet: true | string;
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (for timeouts and ordering). */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
}

/** Decides the reply for a path; `attempt` counts deliveries to that path, from 0. */
export type Behaviour = (delivery: Delivery, attempt: number) => Reply | undefined;

export interface TestReceiver {
  origin: string;
  url(path: string): string;
  deliveries: Delivery[];
  on(path: string, behaviour: Behaviour): void;
  to(path: string): Delivery[];
  /** Deliveries being handled right now, per path (for parallelism checks). */
  busy: Map<string, { now: number; max: number }>;
  /** Deliveries received but not yet answered. */
  unanswered: Set<Delivery>;
  waitFor(count: number, path?: string, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

async function check(verify: () => Promise<unknown>): Promise<true | string> {
  try {
    await verify();
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function startReceiver(keys: () => SigningKeys): Promise<TestReceiver> {
  const deliveries: Delivery[] = [];
  const behaviours = new Map<string, Behaviour>();
  const busy = new Map<string, { now: number; max: number }>();
  const unanswered = new Set<Delivery>();
  let origin = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (request.url ?? '/').split('?')[0] as string;
    const url = `${origin}${request.url}`;
    const signature = String(request.headers['upstash-signature'] ?? '');
    const { current, next } = keys();
    const delivery: Delivery = {
      path,
      url,
      method: request.method ?? '',
      headers: request.headers,
      body,
      text: body.toString('utf8'),
      official: await check(() =>
        new OfficialReceiver({ currentSigningKey: current, nextSigningKey: next }).verify({
          signature,
          body: body.toString('utf8'),
          url,
        }),
      ),
      signet: await check(() =>
        createVerifier({ currentSigningKey: current, nextSigningKey: next }).verify({
          signature,
          body,
          url,
        }),
      ),
      at: Date.now(),
    };
    const attempt = deliveries.filter((earlier) => earlier.path === path).length;
    deliveries.push(delivery);
    const load = busy.get(path) ?? { now: 0, max: 0 };
    busy.set(path, load);
    load.now++;
    load.max = Math.max(load.max, load.now);
    const reply = behaviours.get(path)?.(delivery, attempt) ?? {};
    if (reply.hang) {
      load.now--;
      return; // the socket stays open until the broker gives up
    }
    unanswered.add(delivery);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    unanswered.delete(delivery);
    load.now--;
    response.writeHead(reply.status ?? 200, reply.headers ?? {}).end(reply.body ?? 'ok');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(599).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const to = (path: string) => deliveries.filter((delivery) => delivery.path === path);
  return {
    origin,
    url: (path) => `${origin}${path}`,
    deliveries,
    busy,
    unanswered,
    on: (path, behaviour) => behaviours.set(path, behaviour),
    to,
    async waitFor(count, path, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const seen = () => (path ? to(path) : deliveries);
      while (seen().length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} deliveries${path ? ` to ${path}` : ''} within ${timeoutMs} ms, got ${seen().length}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return seen();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
