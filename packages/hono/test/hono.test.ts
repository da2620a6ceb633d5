import { KEYS, makeToken } from '@signet/conformance';
import { type VerificationError, VerificationError as VerificationErrorClass } from '@signet/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type SignetEnv, signature } from '../src/index.ts';

const ORIGIN = 'http://hono.test';
const signed = (path: string, body: string, headers: Record<string, string> = {}) =>
  new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    body,
    headers: {
      'upstash-signature': makeToken({ url: `${ORIGIN}${path}`, body }),
      'content-type': 'application/json',
      ...headers,
    },
  });

describe('@signet/hono', () => {
  it('types c.get("signet") from the route, including schema data', async () => {
    const app = new Hono();
    const Order = z.object({ id: z.string() });
    app.post('/typed', signature({ ...KEYS, schema: Order }), (c) => {
      const message = c.get('signet');
      expectTypeOf(message.data).toEqualTypeOf<{ id: string }>();
      return c.json({ id: message.data.id });
    });
    const response = await app.request(signed('/typed', '{"id":"o-1"}'));
    expect(await response.json()).toEqual({ id: 'o-1' });
  });

  it('works app-wide with app.use and SignetEnv', async () => {
    const app = new Hono<SignetEnv>();
    app.use('/hooks/*', signature(KEYS));
    app.post('/hooks/a', async (c) =>
      c.json({ text: await c.req.text(), json: await c.req.json(), id: c.get('signet').id }),
    );
    const response = await app.request(
      signed('/hooks/a', '{"a":1}', { 'upstash-message-id': 'msg_9' }),
    );
    expect(await response.json()).toEqual({ text: '{"a":1}', json: { a: 1 }, id: 'msg_9' });
  });

  it("throws an HTTPException the app's onError can reshape, with the VerificationError as cause", async () => {
    const app = new Hono();
    let cause: unknown;
    app.onError((error, c) => {
      if (error instanceof HTTPException) {
        cause = error.cause;
        return c.json(
          { reshaped: true, code: (error.cause as VerificationError).code },
          error.status,
        );
      }
      return c.text('other', 500);
    });
    app.post('/hook', signature(KEYS), (c) => c.text('never'));
    const response = await app.request(
      new Request(`${ORIGIN}/hook`, { method: 'POST', body: 'x' }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ reshaped: true, code: 'SIGNATURE_MISSING' });
    expect(cause).toBeInstanceOf(VerificationErrorClass);
  });

  it('verifies the exact bytes when an earlier middleware already read the body as text', async () => {
    const app = new Hono<SignetEnv>();
    app.use('*', async (c, next) => {
      await c.req.text();
      await next();
    });
    app.post('/hook', signature(KEYS), (c) => c.text(c.get('signet').text()));
    const response = await app.request(signed('/hook', '{"pre":"read"}'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"pre":"read"}');
  });

  it('still verifies when an earlier middleware parsed the body with c.req.json() (Hono caches the text)', async () => {
    const app = new Hono<SignetEnv>();
    app.use('*', async (c, next) => {
      await c.req.json();
      await next();
    });
    app.post('/hook', signature(KEYS), async (c) => c.json(await c.req.json()));
    const response = await app.request(signed('/hook', '{"pre":"parsed"}'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ pre: 'parsed' });
  });

  it('still verifies after c.req.parseBody() (Hono caches the raw bytes first)', async () => {
    const app = new Hono<SignetEnv>();
    app.use('*', async (c, next) => {
      await c.req.parseBody();
      await next();
    });
    app.post('/hook', signature(KEYS), (c) => c.text(c.get('signet').text()));
    const response = await app.request(
      signed('/hook', 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('a=1&b=2');
  });

  it('refuses with 500 BODY_ALREADY_PARSED after c.req.formData(), which keeps no raw bytes', async () => {
    const app = new Hono();
    app.use('*', async (c, next) => {
      await c.req.formData();
      await next();
    });
    app.post('/hook', signature(KEYS), (c) => c.text('never'));
    const errors = console.error;
    console.error = () => {};
    try {
      const body = 'a=1&b=2';
      const response = await app.request(
        signed('/hook', body, { 'content-type': 'application/x-www-form-urlencoded' }),
      );
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({
        code: 'BODY_ALREADY_PARSED',
        detail: expect.stringContaining('Put signature() before it'),
      });
    } finally {
      console.error = errors;
    }
  });
});
