// After the middleware, every way Hono reads a body works on both ends of the peer range: the
// stream is spent, and the adapter's body cache answers each kind itself (Hono before 4.7 could
// not convert between kinds in it).
import { KEYS, makeToken } from '@signet/conformance';
import { Hono } from 'hono';
import { Hono as Hono46 } from 'hono46';
import { describe, expect, it } from 'vitest';
import { signature } from '../src/index.ts';

const url = 'http://hono.test/hook';

describe.each([
  ['4.6.0', Hono46 as unknown as typeof Hono],
  ['latest', Hono],
])('on hono %s', (_version, HonoClass) => {
  const app = new HonoClass();
  app.post('/hook', signature(KEYS), async (c) => {
    const kind = c.req.query('read');
    if (kind === 'json') return c.json({ read: await c.req.json() });
    if (kind === 'text') return c.json({ read: await c.req.text() });
    if (kind === 'arrayBuffer') return c.json({ read: (await c.req.arrayBuffer()).byteLength });
    if (kind === 'blob') return c.json({ read: (await c.req.blob()).type });
    if (kind === 'formData') return c.json({ read: (await c.req.formData()).get('a') });
    return c.json({ read: await c.req.parseBody() });
  });

  const send = (read: string, body: string, type: string) => {
    const target = `${url}?read=${read}`;
    return app.request(target, {
      method: 'POST',
      body,
      headers: { 'content-type': type, 'upstash-signature': makeToken({ url: target, body }) },
    });
  };

  it.each([
    ['json', '{"a":1}', 'application/json', { a: 1 }],
    ['text', 'hi', 'text/plain', 'hi'],
    ['arrayBuffer', 'four', 'application/octet-stream', 4],
    ['blob', 'x', 'application/x-thing', 'application/x-thing'],
    ['formData', 'a=1&b=2', 'application/x-www-form-urlencoded', '1'],
    ['parseBody', 'a=1&b=2', 'application/x-www-form-urlencoded', { a: '1', b: '2' }],
  ])('reads the verified body with c.req.%s()', async (read, body, type, expected) => {
    const response = await send(read, body, type);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ read: expected });
  });
});
