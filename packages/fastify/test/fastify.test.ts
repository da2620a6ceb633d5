import { connect } from 'node:http2';
import { KEYS, makeToken } from '@signet/conformance';
import { VerificationError, type VerifiedMessage } from '@signet/core';
import fastify5, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { getMessage, signature, signatureHook } from '../src/index.ts';

const running: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function start(app: FastifyInstance) {
  running.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    post: async (
      path: string,
      body: string,
      {
        contentType = 'application/json',
        token,
      }: { contentType?: string; token?: string | null } = {},
    ) => {
      const headers: Record<string, string> = { 'content-type': contentType };
      const signed = token === undefined ? makeToken({ url: `${origin}${path}`, body }) : token;
      if (signed) headers['upstash-signature'] = signed;
      const response = await fetch(`${origin}${path}`, { method: 'POST', body, headers });
      const text = await response.text();
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        text,
        json: text.startsWith('{') ? JSON.parse(text) : undefined,
      };
    },
  };
}

for (const [major, factory] of [
  ['fastify 5', () => fastify5()],
  ['fastify 4', () => fastify4() as unknown as FastifyInstance],
] as const) {
  describe(`@signet/fastify on ${major}`, () => {
    it('guards the routes of the scope it is registered in, and no others', async () => {
      const app = factory();
      await app.register(
        async (hooks) => {
          await hooks.register(signature, KEYS);
          hooks.post('/order', async (request) => ({ id: request.signet?.id ?? null }));
          // A scope inside the guarded one is guarded too.
          await hooks.register(async (inner) => {
            inner.post('/inner', async (request) => ({ verified: request.signet !== null }));
          });
        },
        { prefix: '/hooks' },
      );
      // A sibling scope and the root stay open.
      await app.register(async (open) => {
        open.post('/open', async (request) => ({ body: request.body }));
      });
      app.post('/root', async () => ({ open: true }));
      const http = await start(app);

      expect((await http.post('/hooks/order', '{}', { token: null })).status).toBe(401);
      expect((await http.post('/hooks/inner', '{}', { token: null })).status).toBe(401);
      expect((await http.post('/hooks/inner', '{}')).json).toEqual({ verified: true });
      expect((await http.post('/open', '{"a":1}', { token: null })).json).toEqual({
        body: { a: 1 },
      });
      expect((await http.post('/root', '{}', { token: null })).json).toEqual({ open: true });
    });

    it("hands the verified bytes to Fastify's own parsers and JSON schema validation", async () => {
      const app = factory();
      await app.register(async (hooks) => {
        await hooks.register(signature, KEYS);
        hooks.post(
          '/order',
          {
            schema: {
              body: {
                type: 'object',
                required: ['orderId'],
                properties: { orderId: { type: 'string' } },
              },
            },
          },
          async (request) => ({ body: request.body, id: getMessage(request).id }),
        );
      });
      const http = await start(app);
      const ok = await http.post('/order', '{"orderId":"o_1"}');
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json.body).toEqual({ orderId: 'o_1' });
      // Verified, then refused by the app's own schema: Fastify's 400, not a Signet error.
      const invalid = await http.post('/order', '{"total":1}');
      expect(invalid.status).toBe(400);
      expect(invalid.json.code).toBe('FST_ERR_VALIDATION');
    });

    it('reads any content type in a guarded scope, as a Buffer', async () => {
      const app = factory();
      await app.register(async (hooks) => {
        await hooks.register(signature, KEYS);
        hooks.post('/raw', async (request) => ({
          buffer: Buffer.isBuffer(request.body),
          hex: (request.body as Buffer).toString('hex'),
        }));
      });
      const http = await start(app);
      const reply = await http.post('/raw', 'ab', { contentType: 'application/x-custom' });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json).toEqual({ buffer: true, hex: '6162' });
    });

    it('never runs the handler for a refused request, even when onSend hooks are slow', async () => {
      const app = factory();
      let ran = false;
      app.addHook('onSend', async (_request, _reply, payload) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return payload;
      });
      app.post('/hook', { preParsing: signatureHook(KEYS) }, async () => {
        ran = true;
        return { ran };
      });
      const http = await start(app);
      const reply = await http.post('/hook', '{}', { token: 'not.a-token' });
      expect(reply.status).toBe(401);
      expect(reply.type).toMatch(/^application\/problem\+json/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ran).toBe(false);
    });

    it("passes failures to the app's error handler with forwardErrors", async () => {
      const app = factory();
      const seen: unknown[] = [];
      app.setErrorHandler(async (error, _request, reply) => {
        seen.push(error);
        return reply.code((error as VerificationError).status).send({ mine: true });
      });
      app.post('/hook', { preParsing: signatureHook({ ...KEYS, forwardErrors: true }) }, () => 'x');
      const http = await start(app);
      const reply = await http.post('/hook', '{}', { token: null });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ mine: true });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(VerificationError);
      expect((seen[0] as VerificationError).code).toBe('SIGNATURE_MISSING');
    });

    it('checks the URL the client sent, also when rewriteUrl changed it', async () => {
      const app = fastify5({ rewriteUrl: (req) => (req.url ?? '/').replace('/v1/', '/') });
      app.post('/hook', { preParsing: signatureHook(KEYS) }, async (request) => ({
        url: request.signet?.url,
      }));
      const http = await start(app);
      // Signed for the URL QStash called; the route is found under the rewritten one.
      const reply = await http.post('/v1/hook', '{}');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.url).toBe(`${http.origin}/v1/hook`);
      const rewrittenToken = makeToken({ url: `${http.origin}/hook`, body: '{}' });
      expect((await http.post('/v1/hook', '{}', { token: rewrittenToken })).status).toBe(401);
    });

    it('can be registered in several scopes of one app', async () => {
      const app = factory();
      for (const prefix of ['/a', '/b']) {
        await app.register(
          async (scope) => {
            await scope.register(signature, KEYS);
            scope.post('/hook', async (request) => ({ id: request.signet?.id ?? null }));
          },
          { prefix },
        );
      }
      const http = await start(app);
      expect((await http.post('/a/hook', '{}')).status).toBe(200);
      expect((await http.post('/b/hook', '{}', { token: null })).status).toBe(401);
    });

    it('types the message through getMessage, with the schema option', async () => {
      const Order = z.object({ orderId: z.string() });
      const app = factory();
      app.post('/typed', { preParsing: signatureHook({ ...KEYS, schema: Order }) }, (request) => {
        const message = getMessage<z.infer<typeof Order>>(request);
        expectTypeOf(message).toEqualTypeOf<VerifiedMessage<{ orderId: string }>>();
        expectTypeOf(request.signet).toEqualTypeOf<VerifiedMessage<unknown> | null>();
        return { orderId: message.data.orderId };
      });
      const http = await start(app);
      expect((await http.post('/typed', '{"orderId":"o"}')).json).toEqual({ orderId: 'o' });
      const invalid = await http.post('/typed', '{"orderId":1}');
      expect(invalid.status).toBe(422);
      expect(invalid.json.code).toBe('BODY_INVALID');
    });
  });
}

describe('@signet/fastify over HTTP/2', () => {
  it('binds the token to the :authority the client connected to', async () => {
    const app = fastify5({ http2: true }) as unknown as FastifyInstance;
    app.post('/hook', { preParsing: signatureHook(KEYS) }, async (request) => ({
      url: request.signet?.url,
    }));
    running.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const origin = `http://127.0.0.1:${port}`;
    const session = connect(origin);
    const send = (token: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/hook',
          'content-type': 'application/json',
          'upstash-signature': token,
        });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
        });
        stream.on('data', (chunk: Buffer) => {
          body += chunk;
        });
        stream.on('end', () => resolve({ status, body }));
        stream.on('error', reject);
        stream.end('{}');
      });
    try {
      const ok = await send(makeToken({ url: `${origin}/hook`, body: '{}' }));
      expect(ok.status, ok.body).toBe(200);
      expect(JSON.parse(ok.body).url).toBe(`${origin}/hook`);
      const other = await send(makeToken({ url: 'http://other.example/hook', body: '{}' }));
      expect(other.status).toBe(401);
    } finally {
      session.close();
    }
  });
});

it('says what is wrong when getMessage is used on an unguarded route', async () => {
  const app = fastify5();
  app.post('/plain', async (request) => getMessage(request));
  app.setErrorHandler(async (error: Error, _request, reply) =>
    reply.code(500).send({ message: error.message }),
  );
  const http = await start(app);
  const reply = await http.post('/plain', '{}', { token: null });
  expect(reply.json.message).toMatch(/is the signature plugin registered/);
});
