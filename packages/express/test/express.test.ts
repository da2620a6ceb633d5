import type { AddressInfo } from 'node:net';
import { KEYS, makeToken } from '@signet/conformance';
import { toProblem, VerificationError } from '@signet/core';
import express5, { type Express, type NextFunction, type Request, type Response } from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { getMessage, type SignatureOptions, signature } from '../src/index.ts';
import type { ExpressFactory } from './app.ts';

type Build = (app: Express, options: SignatureOptions) => void;

async function serve(factory: ExpressFactory, build: Build, options: SignatureOptions = KEYS) {
  const app = factory();
  build(app, options);
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    post: async (path: string, body: string, contentType = 'application/json', token?: string) => {
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': contentType,
          'upstash-signature': token ?? makeToken({ url: `${origin}${path}`, body }),
        },
      });
      const text = await response.text();
      return {
        status: response.status,
        text,
        json: text.startsWith('{') ? JSON.parse(text) : undefined,
      };
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

for (const [major, factory] of [
  ['express 5', express5],
  ['express 4', express4 as unknown as ExpressFactory],
] as const) {
  const { json, raw, text, Router } = factory as unknown as typeof express5;

  describe(`@signet/express on ${major}`, () => {
    afterEach(() => vi.restoreAllMocks());

    it('answers 500 with the fix when express.json() ran first, and logs it once', async () => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => {});
      const app = await serve(factory, (a, o) => {
        a.use(json());
        a.post('/hook', signature(o), (_req, res) => res.send('never'));
      });
      for (let i = 0; i < 2; i++) {
        const reply = await app.post('/hook', '{"a":1}');
        expect(reply.status).toBe(500);
        expect(reply.json).toMatchObject({ code: 'BODY_ALREADY_PARSED', status: 500 });
        expect(reply.json.detail).toMatch(/Mount signature\(\) before it, or use express\.raw/);
      }
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/express\.json\(\)/);
      await app.close();
    });

    it('refuses a string left by express.text() too, never verifying decoded text', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const app = await serve(factory, (a, o) => {
        a.use(text({ type: '*/*' }));
        a.post('/hook', signature(o), (_req, res) => res.send('never'));
      });
      expect((await app.post('/hook', 'hello', 'text/plain')).json).toMatchObject({
        code: 'BODY_ALREADY_PARSED',
      });
      await app.close();
    });

    it('verifies the Buffer from express.raw() and still parses req.body', async () => {
      const app = await serve(factory, (a, o) => {
        a.use(raw({ type: '*/*' }));
        a.post('/hook', signature(o), (req, res) =>
          res.json({ body: req.body, id: req.signet?.claims?.jti !== undefined }),
        );
      });
      expect(await app.post('/hook', '{"raw":true}')).toMatchObject({
        status: 200,
        json: { body: { raw: true }, id: true },
      });
      expect(
        (
          await app.post(
            '/hook',
            '{"raw":true}',
            'application/json',
            makeToken({ url: `${app.origin}/hook`, body: 'other' }),
          )
        ).status,
      ).toBe(401);
      await app.close();
    });

    it('leaves parsers mounted after it nothing to do (no double read, no hang)', async () => {
      const app = await serve(factory, (a, o) => {
        a.use('/hook', signature(o));
        a.use(json());
        a.use(text());
        a.post('/hook', (req, res) => res.json({ body: req.body }));
      });
      expect(await app.post('/hook', '{"after":1}')).toMatchObject({
        status: 200,
        json: { body: { after: 1 } },
      });
      await app.close();
    });

    it('checks the full URL when mounted on a path or a router', async () => {
      const app = await serve(factory, (a, o) => {
        const router = Router();
        router.use(signature(o));
        router.post('/order', (req, res) => res.json({ url: req.signet?.url }));
        a.use('/hooks', router);
      });
      const reply = await app.post('/hooks/order', '{}');
      expect(reply).toMatchObject({ status: 200, json: { url: `${app.origin}/hooks/order` } });
      const forged = await app.post(
        '/hooks/order',
        '{}',
        'application/json',
        makeToken({ url: `${app.origin}/order`, body: '{}' }),
      );
      expect(forged.json).toMatchObject({ code: 'URL_MISMATCH' });
      await app.close();
    });

    it('with forwardErrors, hands the VerificationError to the app’s error handler', async () => {
      const app = await serve(factory, (a, o) => {
        a.post('/hook', signature({ ...o, forwardErrors: true }), (_req, res) => res.send('never'));
        a.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
          expect(error).toBeInstanceOf(VerificationError);
          const problem = toProblem(error as VerificationError);
          res.status(problem.status).json({ mine: true, code: problem.code });
        });
      });
      expect(await app.post('/hook', '{}', 'application/json', 'garbage')).toMatchObject({
        status: 401,
        json: { mine: true, code: 'SIGNATURE_MALFORMED' },
      });
      await app.close();
    });

    it('passes a bug (a url function that throws) to Express as a 500, not a 401', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const app = await serve(factory, (a, o) => {
        a.post(
          '/hook',
          signature({
            ...o,
            url: () => {
              throw new Error('bug');
            },
          }),
          (_req, res) => res.send('never'),
        );
      });
      expect((await app.post('/hook', '{}')).status).toBe(500);
      await app.close();
    });

    it('getMessage() gives the typed message, and explains a missing middleware', async () => {
      const app = await serve(factory, (a, o) => {
        a.post('/hook', signature(o), (req, res) => {
          const message = getMessage<{ n: number }>(req);
          expectTypeOf(message.data).toEqualTypeOf<{ n: number }>();
          res.json({ id: message.claims?.iss });
        });
        a.post('/open', (req, res) => {
          try {
            getMessage(req);
            res.send('no');
          } catch (error) {
            res.status(500).send((error as Error).message);
          }
        });
      });
      expect((await app.post('/hook', '{}')).json).toEqual({ id: 'Upstash' });
      expect((await app.post('/open', '{}')).text).toMatch(/is signature\(\) mounted/);
      await app.close();
    });
  });
}
