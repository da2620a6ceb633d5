import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEYS, makeToken } from '@signet/conformance';
import type { VerifiedMessage } from '@signet/core';
import { Receiver } from '@upstash/qstash';
import { H3, type H3Event, readBody, serve } from 'h3';
import * as h3v1 from 'h3v1';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { z } from 'zod';
import {
  getMessage,
  signature,
  verifySignatureH3,
  verifySignatureNuxt,
  withSignature,
} from '../src/index.ts';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function onV2(app: H3) {
  const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  closers.push(() => server.close(true));
  return `http://127.0.0.1:${new URL(server.url as string).port}`;
}

async function onV1(app: h3v1.App) {
  const server = createServer(h3v1.toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(url: string, body: string, token: string | null = makeToken({ url, body })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['upstash-signature'] = token;
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

// Bodies whose bytes are not what JSON.stringify(JSON.parse(body)) gives back: a verifier that
// hashes a re-serialisation (as the official H3 helper does) refuses every one of them.
const RESERIALISED = [
  '{"b":1,"a":2}',
  '{ "spaced" : [1, 2] }\n',
  '{"escaped":"\\u00e9\\u2028"}',
  '{"float":1.0,"exp":1e3}',
  '{"big":12345678901234567890}',
];

describe('raw bytes, not a re-serialisation', () => {
  it('verifies every body the official Receiver verifies, and readBody parses it (h3 2)', async () => {
    const app = new H3({ silent: true });
    app.post(
      '/hook',
      withSignature(async (event) => ({ parsed: await readBody(event) }), KEYS),
    );
    const origin = await onV2(app);
    const receiver = new Receiver(KEYS);
    for (const body of RESERIALISED) {
      const token = makeToken({ url: `${origin}/hook`, body });
      expect(await receiver.verify({ signature: token, body, url: `${origin}/hook` })).toBe(true);
      const reply = await post(`${origin}/hook`, body, token);
      expect(reply.status, `${body}: ${reply.text}`).toBe(200);
      expect(JSON.parse(reply.text).parsed).toEqual(JSON.parse(body));
    }
  });

  it('does the same on h3 1 (Nuxt 4, Nitro 2), through readBody', async () => {
    const app = h3v1.createApp();
    app.use(
      '/hook',
      withSignature(
        async (event) => ({
          parsed: await h3v1.readBody(event as unknown as h3v1.H3Event),
        }),
        KEYS,
      ) as unknown as h3v1.EventHandler,
    );
    const origin = await onV1(app);
    for (const body of RESERIALISED) {
      const reply = await post(`${origin}/hook`, body);
      expect(reply.status, `${body}: ${reply.text}`).toBe(200);
      expect(JSON.parse(reply.text).parsed).toEqual(JSON.parse(body));
    }
  });
});

describe('drop-in for the official helpers', () => {
  it('takes verifySignatureH3 and verifySignatureNuxt calls as written, with Signet’s checks', async () => {
    const app = new H3({ silent: true });
    const config = { ...KEYS, clockTolerance: 5 };
    app.post(
      '/h3',
      verifySignatureH3(async () => ({ ok: true }), config),
    );
    app.post(
      '/nuxt',
      verifySignatureNuxt(async () => ({ ok: true }), config),
    );
    const origin = await onV2(app);
    for (const path of ['/h3', '/nuxt']) {
      expect((await post(`${origin}${path}`, '{}')).status).toBe(200);
      // Where the official helper answers 200 with `{ status: 403 }`, this is a real 401.
      const refused = await post(`${origin}${path}`, '{}', null);
      expect(refused.status).toBe(401);
      expect(refused.type).toMatch(/^application\/problem\+json/);
      // And the URL is bound: a token for another path is refused.
      const other = makeToken({ url: `${origin}/elsewhere`, body: '{}' });
      expect((await post(`${origin}${path}`, '{}', other)).status).toBe(401);
    }
  });

  it('is an event handler h3 1 takes without its deprecation warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const app = h3v1.createApp();
    app.use('/hook', verifySignatureH3(async () => 'ok', KEYS) as unknown as h3v1.EventHandler);
    app.use('/mw', signature(KEYS) as unknown as h3v1.EventHandler);
    const origin = await onV1(app);
    expect((await post(`${origin}/hook`, '{}')).status).toBe(200);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('the signature middleware', () => {
  it('guards a route through its middleware option (h3 2), settling from the answer', async () => {
    const app = new H3({ silent: true });
    app.post('/hook', async (event) => ({ id: event.context.signet?.id ?? null }), {
      middleware: [signature(KEYS)],
    });
    app.post('/open', async () => ({ open: true }));
    const origin = await onV2(app);
    expect((await post(`${origin}/hook`, '{}', null)).status).toBe(401);
    expect((await post(`${origin}/hook`, '{}')).status).toBe(200);
    expect((await post(`${origin}/open`, '{}', null)).status).toBe(200);
  });

  it('with paths, verifies every spelling of a guarded path and nothing else (h3 2 and 1)', async () => {
    const v2 = new H3({ silent: true });
    v2.use(signature({ ...KEYS, paths: ['/api/hooks'] }));
    v2.all('/**', (event) => ({ reached: event.url.pathname, signed: !!event.context.signet }));
    const v1 = h3v1.createApp();
    v1.use(signature({ ...KEYS, paths: ['/api/hooks'] }) as unknown as h3v1.EventHandler);
    v1.use(h3v1.eventHandler((event) => ({ reached: event.path, signed: !!event.context.signet })));
    for (const origin of [await onV2(v2), await onV1(v1)]) {
      for (const path of [
        '/api/hooks/a',
        '/api/HOOKS/a',
        '/api/hook%73/a',
        '/api//hooks/a',
        '/api/x/../hooks/a',
      ]) {
        const reply = await post(`${origin}${path}`, '{}', null);
        expect(reply.status, `${origin}${path}: ${reply.text}`).toBeGreaterThanOrEqual(400);
        expect(reply.text).not.toContain('"signed":false');
      }
      expect((await post(`${origin}/api/other`, '{}', null)).text).toContain('"signed":false');
    }
  });

  it('refuses an empty paths list, which would guard nothing', () => {
    expect(() => signature({ ...KEYS, paths: [] })).toThrow(/`paths` is empty/);
    expect(() => signature({ ...KEYS, paths: ['hooks'] })).toThrow(/must start with "\/"/);
  });

  it('takes a predicate for paths', async () => {
    const app = new H3({ silent: true });
    app.use(signature({ ...KEYS, paths: (event: H3Event) => event.req.method === 'POST' }));
    app.all('/x', () => 'reached');
    const origin = await onV2(app);
    expect((await fetch(`${origin}/x`)).status).toBe(200);
    expect((await post(`${origin}/x`, '{}', null)).status).toBe(401);
  });
});

it('types the message in event.context', () => {
  withSignature(async (event) => {
    expectTypeOf(event.context.signet).toEqualTypeOf<VerifiedMessage<unknown> | undefined>();
    return null;
  }, KEYS);
});

it('getMessage types the message, and says what is wrong on an unguarded handler', async () => {
  const app = new H3({ silent: true });
  app.post(
    '/typed',
    withSignature(
      async (event) => {
        const message = getMessage<{ orderId: string }>(event);
        expectTypeOf(message.data).toEqualTypeOf<{ orderId: string }>();
        return { orderId: message.data.orderId };
      },
      { ...KEYS, schema: z.object({ orderId: z.string() }) },
    ),
  );
  app.post('/plain', (event) => {
    try {
      return getMessage(event);
    } catch (error) {
      return { message: (error as Error).message };
    }
  });
  const origin = await onV2(app);
  expect(JSON.parse((await post(`${origin}/typed`, '{"orderId":"o"}')).text)).toEqual({
    orderId: 'o',
  });
  expect((await post(`${origin}/typed`, '{"orderId":1}')).status).toBe(422);
  expect((await post(`${origin}/plain`, '{}', null)).text).toMatch(
    /withSignature\(\) or signature\(\)/,
  );
});
