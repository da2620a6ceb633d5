// The benchmark server: the same handler behind no verification, Signet, and the official Receiver.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { floorVerify } from '@signet/conformance';
import { KEYS } from '@signet/conformance/fixture';
import { Receiver } from '@upstash/qstash';
import { type Context, Hono } from 'hono';
import { signature } from '../src/index.ts';

const app = new Hono();
const handler = async (c: Context) => {
  const body = (await c.req.json()) as { order: { items: unknown[] } };
  return c.json({ ok: true, items: body.order.items.length });
};

const receiver = new Receiver(KEYS);
app.post('/unverified', handler);
app.post(
  '/floor',
  async (c, next) => {
    try {
      floorVerify(c.req.header('upstash-signature') ?? '', await c.req.text(), c.req.url);
    } catch {
      return c.body(null, 401);
    }
    await next();
  },
  handler,
);
app.post('/signet', signature(KEYS), handler);
app.post(
  '/official',
  async (c, next) => {
    try {
      await receiver.verify({
        signature: c.req.header('upstash-signature') ?? '',
        body: await c.req.text(),
        url: c.req.url,
      });
    } catch {
      return c.body(null, 401);
    }
    await next();
  },
  handler,
);

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
  console.log(`PORT ${info.port}`),
);
