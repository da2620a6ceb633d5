// The adapter conformance suite. An adapter's test calls `runConformance(harness)`; the harness
// starts an app that implements the fixture contract (fixture.ts). Every case checks status, body
// and headers.
import { eventually } from '@signet/test-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  httpTransport,
  makeToken,
  type Reply,
  rawRequest,
  type TokenOptions,
  type Transport,
  toReply,
} from './client.ts';
import {
  type Echo,
  FOREIGN_KEY,
  fixtureOptions,
  KEYS,
  MARKER_HEADER,
  type ProtectedRoute,
  type RecordedError,
  ROUTES,
  reportsComplete,
  SMALL_LIMIT,
  toBase64,
} from './fixture.ts';
import { describeHostPinning, describePathSpellings, type SuiteContext } from './suite-paths.ts';
import { describeProviders } from './suite-providers.ts';

export interface RunningApp {
  /** Where to connect: `http://127.0.0.1:<port>`. */
  origin: string;
  /**
   * The origin the app believes it has, when not `origin`: SvelteKit's adapter-node assumes
   * `https` (it expects a TLS proxy in front). Tokens are signed for this one.
   */
  publicOrigin?: string;
  close(): Promise<void>;
}

export interface Harness {
  /** Shown in test names, e.g. "hono on @hono/node-server". */
  name: string;
  /** Starts an app that implements the fixture contract. */
  start(): Promise<RunningApp>;
  /** The errors the app's `onError` hooks recorded, oldest first, and a reset. */
  errors(): Promise<RecordedError[]>;
  resetErrors(): Promise<void>;
  /**
   * The app reports errors after answering (over HTTP, to a collector): before reading them,
   * the suite sends every protected route an unsigned request with a marker header, and waits
   * until each marker has been reported, so that every earlier report has arrived too.
   */
  reportsAsync?: boolean;
  /** With `reportsAsync`: every report since the app started, resets or not. */
  reports?(): Promise<RecordedError[]>;
  /**
   * How requests reach the app. Default: real HTTP on loopback. An in-process transport (Hono's
   * `app.request`) runs every case that does not need a raw socket.
   */
  transport?: Transport;
  /** Route paths, when the app mounts the fixture under other paths (e.g. a runtime prefix). */
  routes?: Partial<Record<keyof typeof ROUTES, string>>;
  /**
   * How the framework spells a request URL to the handler, when it re-encodes it (Next's App
   * Router re-serialises query strings). `message.url` is compared in that spelling.
   */
  spellUrl?: (url: string) => string;
  /**
   * The platform reads the whole upload before any handler runs (Next's Edge sandbox does), so
   * no adapter can stop reading early there: the suite checks the 413 answer instead.
   */
  readsWholeBody?: boolean;
  /**
   * The runtime's own HTTP server answers an absolute-form request target itself, with this
   * status, before any app code runs (workerd's URL parser: 500). Still never accepted.
   */
  absoluteFormStatus?: number;
}

const PROBLEM_KEYS = ['code', 'detail', 'status', 'title', 'type'];

interface SendOptions {
  route: keyof typeof ROUTES;
  query?: string;
  method?: string;
  body?: string | Uint8Array;
  contentType?: string;
  /** null: no signature header. A string: that header value. Else: token options merged over the defaults. */
  token?: null | string | Partial<TokenOptions>;
  headers?: Record<string, string>;
}

export function runConformance(harness: Harness): void {
  const transport = harness.transport ?? httpTransport;
  const overHttp = harness.transport === undefined;
  let app: RunningApp;
  const path = (route: keyof typeof ROUTES) => harness.routes?.[route] ?? ROUTES[route];
  // The URL the app sees (and tokens are signed for), and the one the test connects to.
  const urlOf = (route: keyof typeof ROUTES, query = '') =>
    `${app.publicOrigin ?? app.origin}${path(route)}${query}`;
  const connectUrl = (route: keyof typeof ROUTES, query = '') =>
    `${app.origin}${path(route)}${query}`;
  const spelled = (url: string) => (harness.spellUrl ? harness.spellUrl(url) : url);

  async function send(options: SendOptions): Promise<Reply> {
    const url = urlOf(options.route, options.query);
    const method = options.method ?? 'POST';
    const body = options.body ?? (method === 'GET' || method === 'HEAD' ? undefined : '');
    const headers = new Headers(options.headers);
    if (options.contentType) headers.set('content-type', options.contentType);
    headers.set('upstash-message-id', 'msg_conformance_1');
    headers.set('upstash-retried', '2');
    if (options.token !== null) {
      const signature =
        typeof options.token === 'string'
          ? options.token
          : makeToken({ url, body: body ?? '', ...options.token });
      headers.set('upstash-signature', signature);
    }
    const request = new Request(connectUrl(options.route, options.query), {
      method,
      headers,
      body: body as BodyInit | undefined,
    });
    return toReply(await transport(request));
  }

  const echoOf = (reply: Reply) => reply.json as unknown as Echo;

  // Unique across suites: two suites may share one app process (and its reports), and a marker
  // name seen before would count as arrived at once.
  const markerPrefix = `marker-${crypto.randomUUID().slice(0, 8)}`;
  let markers = 0;
  /** See `Harness.reportsAsync`: returns once every report the app made so far has arrived. */
  async function flushReports(): Promise<void> {
    if (!harness.reportsAsync) return;
    const sent = await Promise.all(
      (Object.keys(fixtureOptions) as ProtectedRoute[]).map(async (route) => {
        const marker = `${markerPrefix}-${++markers}`;
        await send({ route, token: null, body: 'flush', headers: { [MARKER_HEADER]: marker } });
        return marker;
      }),
    );
    await eventually(`the app's reports up to ${sent.join(', ')}`, async () =>
      reportsComplete(await (harness.reports ?? harness.errors)(), sent),
    );
  }

  /** What the app's onError hooks reported, all of it, without the flush markers. */
  async function recordedErrors(): Promise<RecordedError[]> {
    await flushReports();
    return (await harness.errors())
      .filter((error) => error.marker === undefined)
      .map(({ route, code }) => ({ route, code }));
  }

  function expectProblem(reply: Reply, status: number, code: string): void {
    expect(reply.status, reply.text).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.json).toBeDefined();
    expect(
      Object.keys(reply.json ?? {})
        .filter((key) => key !== 'issues')
        .sort(),
    ).toEqual(PROBLEM_KEYS);
    expect(reply.json).toMatchObject({
      status,
      code,
      type: `urn:signet:error:${code.toLowerCase().replaceAll('_', '-')}`,
    });
    expect(typeof reply.json?.title).toBe('string');
    expect(typeof reply.json?.detail).toBe('string');
  }

  const context: SuiteContext = {
    origins: () => ({ connect: app.origin, public: app.publicOrigin ?? app.origin }),
    path,
    spelled,
    expectProblem,
    absoluteFormStatus: harness.absoluteFormStatus,
  };

  describe(`${harness.name}: conformance`, () => {
    beforeAll(async () => {
      app = await harness.start();
    }, 120_000);
    afterAll(async () => {
      // Nothing this harness caused may be reported into the next one's tests.
      if (app) await flushReports();
      await app?.close();
    });
    beforeEach(async () => {
      await flushReports();
      await harness.resetErrors();
    });

    describe('accepts', () => {
      it('a valid JSON body, handing the handler the message and a readable body', async () => {
        const body = JSON.stringify({ orderId: 'ord_1', items: [1, 2, 3] });
        const reply = await send({ route: 'echo', body, contentType: 'application/json' });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
        const echo = echoOf(reply);
        expect(echo).toMatchObject({
          route: 'echo',
          method: 'POST',
          id: 'msg_conformance_1',
          retried: 2,
          url: spelled(urlOf('echo')),
        });
        expect(echo.bodyBase64).toBe(toBase64(new TextEncoder().encode(body)));
        expect(echo.handlerBody).toEqual({ kind: 'json', value: JSON.parse(body) });
      });

      it('a valid text body', async () => {
        const body = 'plain text, with a newline\nand a tab\t.';
        const echo = echoOf(
          await send({ route: 'echo', body, contentType: 'text/plain; charset=utf-8' }),
        );
        expect(echo.handlerBody).toEqual({ kind: 'text', value: body });
      });

      it('a binary body, byte for byte (not valid UTF-8)', async () => {
        const body = new Uint8Array([0, 255, 254, 0x80, 0xc3, 0x28, 10, 13, 0, 1]);
        const reply = await send({ route: 'echo', body, contentType: 'application/octet-stream' });
        expect(reply.status, reply.text).toBe(200);
        const echo = echoOf(reply);
        expect(echo.bodyBase64).toBe(toBase64(body));
        expect(echo.handlerBody).toEqual({ kind: 'bytes', base64: toBase64(body) });
      });

      it('an empty body on a POST', async () => {
        const reply = await send({ route: 'echo', body: '', contentType: 'text/plain' });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply)).toMatchObject({
          bodyBase64: '',
          handlerBody: { kind: 'text', value: '' },
        });
      });

      it('a GET with no body', async () => {
        const reply = await send({ route: 'echo', method: 'GET' });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply)).toMatchObject({ method: 'GET', bodyBase64: '' });
      });

      it('a unicode body, in the body and in the URL', async () => {
        const body = JSON.stringify({ greeting: 'Grüße, 世界 👋', rtl: 'שלום' });
        const query = `?name=${encodeURIComponent('Zoë 日本')}`;
        const reply = await send({
          route: 'echo',
          query,
          body,
          contentType: 'application/json; charset=utf-8',
        });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply)).toMatchObject({
          url: spelled(urlOf('echo', query)),
          handlerBody: { kind: 'json', value: JSON.parse(body) },
        });
      });

      it('a URL with a query string, which is part of what is signed', async () => {
        const query = '?b=2&a=1&flag&list=x&list=y';
        const reply = await send({ route: 'echo', query, body: 'q' });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply).url).toBe(spelled(urlOf('echo', query)));
        const reordered = await send({
          route: 'echo',
          query: '?a=1&b=2&flag&list=x&list=y',
          body: 'q',
          token: { url: urlOf('echo', query) },
        });
        expectProblem(reordered, 401, 'URL_MISMATCH');
      });

      it('a token signed with the next key (after a rotation)', async () => {
        const reply = await send({
          route: 'echo',
          body: 'rotated',
          token: { key: KEYS.nextSigningKey },
        });
        expect(reply.status, reply.text).toBe(200);
      });

      it('leaves an unprotected route alone: no signature needed, body intact', async () => {
        for (const token of [null, 'garbage']) {
          const reply = await send({
            route: 'open',
            body: 'untouched',
            contentType: 'text/plain',
            token,
          });
          expect(reply.status, reply.text).toBe(200);
          expect(echoOf(reply)).toMatchObject({
            route: 'open',
            id: null,
            handlerBody: { kind: 'text', value: 'untouched' },
          });
        }
        expect(await recordedErrors()).toEqual([]);
      });
    });

    if (overHttp) {
      it('reads the signature header in lower, upper and mixed case', async () => {
        for (const name of [
          'upstash-signature',
          'UPSTASH-SIGNATURE',
          'Upstash-Signature',
          'uPsTaSh-sIgNaTuRe',
        ]) {
          const url = urlOf('echo');
          const reply = await rawRequest(connectUrl('echo'), {
            headers: {
              [name]: makeToken({ url, body: 'case' }),
              'Content-Type': 'text/plain',
              'Content-Length': '4',
            },
            body: 'case',
          });
          expect(reply.status, `${name}: ${reply.body}`).toBe(200);
        }
      });
    }

    describe('rejects with 401 problem+json', () => {
      const cases: Array<[code: string, options: () => SendOptions]> = [
        ['SIGNATURE_MISSING', () => ({ route: 'echo', body: 'x', token: null })],
        ['SIGNATURE_MALFORMED', () => ({ route: 'echo', body: 'x', token: 'not.a-token' })],
        ['ALGORITHM_REJECTED', () => ({ route: 'echo', body: 'x', token: { alg: 'HS512' } })],
        ['SIGNATURE_INVALID', () => ({ route: 'echo', body: 'x', token: { key: FOREIGN_KEY } })],
        [
          'ISSUER_MISMATCH',
          () => ({ route: 'echo', body: 'x', token: { claims: { iss: 'Mallory' } } }),
        ],
        [
          'TOKEN_EXPIRED',
          () => ({ route: 'echo', body: 'x', token: { iat: Math.floor(Date.now() / 1000) - 600 } }),
        ],
        [
          'TOKEN_NOT_YET_VALID',
          () => ({ route: 'echo', body: 'x', token: { iat: Math.floor(Date.now() / 1000) + 120 } }),
        ],
        ['URL_MISMATCH', () => ({ route: 'echo', body: 'x', token: { url: urlOf('small') } })],
        ['BODY_MISMATCH', () => ({ route: 'echo', body: 'x', token: { body: 'y' } })],
      ];
      for (const [code, options] of cases) {
        it(`${code}, calling onError once`, async () => {
          const reply = await send(options());
          expectProblem(reply, 401, code);
          expect(await recordedErrors()).toEqual([{ route: 'echo', code }]);
        });
      }

      it('REPLAYED for a token used a second time', async () => {
        const body = JSON.stringify({ n: 1 });
        const token = makeToken({ url: urlOf('replay'), body });
        const first = await send({ route: 'replay', body, token });
        expect(first.status, first.text).toBe(200);
        const second = await send({ route: 'replay', body, token });
        expectProblem(second, 401, 'REPLAYED');
        expect(await recordedErrors()).toEqual([{ route: 'replay', code: 'REPLAYED' }]);
      });

      it('a request forged for one route (valid token, other URL) on every other route', async () => {
        const forged = makeToken({ url: urlOf('echo'), body: '{"orderId":"o","total":1}' });
        for (const route of ['small', 'replay', 'schema', 'proxy'] as const) {
          const reply = await send({
            route,
            body: '{"orderId":"o","total":1}',
            contentType: 'application/json',
            token: forged,
          });
          expectProblem(reply, 401, 'URL_MISMATCH');
        }
      });

      it('without leaking the expected URL, unless the route has debug on', async () => {
        const quiet = await send({
          route: 'echo',
          body: 'x',
          token: { url: 'https://elsewhere.example/x' },
        });
        expect(quiet.text).not.toContain(app.origin);
        expect(quiet.text).not.toContain(urlOf('echo'));
        expect(quiet.text).not.toContain('elsewhere.example');
        const loud = await send({
          route: 'debug',
          body: 'x',
          token: { url: 'https://elsewhere.example/x' },
        });
        expectProblem(loud, 401, 'URL_MISMATCH');
        expect(loud.json?.detail).toContain('elsewhere.example');
      });
    });

    describe('body size', () => {
      it('answers 413 for a body over the limit, from Content-Length alone', async () => {
        const body = 'a'.repeat(SMALL_LIMIT + 1);
        const reply = await send({ route: 'small', body, contentType: 'text/plain' });
        expectProblem(reply, 413, 'BODY_TOO_LARGE');
        expect(await recordedErrors()).toEqual([{ route: 'small', code: 'BODY_TOO_LARGE' }]);
      });

      it('accepts a body of exactly the limit', async () => {
        const body = 'a'.repeat(SMALL_LIMIT);
        const reply = await send({ route: 'small', body, contentType: 'text/plain' });
        expect(reply.status, reply.text).toBe(200);
      });

      const streamTooLarge = () => {
        const url = urlOf('small');
        return rawRequest(connectUrl('small'), {
          headers: {
            'upstash-signature': makeToken({ url, body: 'whatever' }),
            'content-type': 'text/plain',
          },
          stream: { chunk: 16 * 1024, total: 32 * 1024 * 1024 },
        });
      };
      const expect413 = (reply: Awaited<ReturnType<typeof rawRequest>>) => {
        expect(reply.status, reply.body).toBe(413);
        expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(reply.body)).toMatchObject({ code: 'BODY_TOO_LARGE', status: 413 });
      };

      if (overHttp && !harness.readsWholeBody) {
        it('refuses a chunked body without Content-Length long before it ends', async () => {
          const reply = await streamTooLarge();
          // The server stopped reading early: most of the upload was never sent.
          expect(reply.written).toBeLessThan(8 * 1024 * 1024);
          // It answers 413 problem+json, unless the reset that closing an unread connection
          // causes overtook that answer; either way the body was refused, never accepted.
          if (reply.status !== 0) expect413(reply);
        });
      }

      if (overHttp && harness.readsWholeBody) {
        it('answers a chunked body over the limit with 413, after the platform has read it whole', async () => {
          // Nothing in a route can stop the platform's own read; what it can promise is the
          // answer, which always arrives (the connection is read to the end, so never reset).
          expect413(await streamTooLarge());
        });
      }
    });

    describe('replay marks and handler failures', () => {
      it('lets QStash retry a delivery the handler answered with a 5xx (same token)', async () => {
        const body = 'retry me';
        const url = urlOf('replay', '?status=503');
        const token = makeToken({ url, body });
        for (let attempt = 0; attempt < 2; attempt++) {
          const reply = await send({ route: 'replay', query: '?status=503', body, token });
          expect(reply.status, reply.text).toBe(503);
          expect(echoOf(reply).route).toBe('replay');
        }
      });

      it('does not turn a thrown handler error into a 401, and lets the retry through', async () => {
        const body = 'boom';
        const token = makeToken({ url: urlOf('throws'), body });
        for (let attempt = 0; attempt < 2; attempt++) {
          const reply = await send({ route: 'throws', body, token });
          expect(reply.status, reply.text).toBe(500);
          expect(reply.json?.code).not.toBe('REPLAYED');
        }
        expect(await recordedErrors()).toEqual([]);
      });
    });

    describe('schema', () => {
      it('hands the parsed, validated data to the handler', async () => {
        const body = JSON.stringify({ orderId: 'ord_9', total: 42, extra: 'dropped' });
        const reply = await send({ route: 'schema', body, contentType: 'application/json' });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply).data).toEqual({ orderId: 'ord_9', total: 42 });
      });

      it('answers 422 BODY_INVALID with the issues when the schema refuses the body', async () => {
        const reply = await send({
          route: 'schema',
          body: JSON.stringify({ orderId: 9 }),
          contentType: 'application/json',
        });
        expectProblem(reply, 422, 'BODY_INVALID');
        const issues = reply.json?.issues as Array<{ path?: string; message: string }>;
        expect(issues.map((issue) => issue.path).sort()).toEqual(['orderId', 'total']);
        expect(reply.headers.get('upstash-nonretryable-error')).toBeNull();
        expect(await recordedErrors()).toEqual([{ route: 'schema', code: 'BODY_INVALID' }]);
      });

      it('answers 489 + Upstash-NonRetryable-Error with nonRetryable, so QStash stops retrying', async () => {
        const reply = await send({
          route: 'final',
          body: 'not json',
          contentType: 'application/json',
        });
        expectProblem(reply, 489, 'BODY_INVALID');
        expect(reply.headers.get('upstash-nonretryable-error')).toBe('true');
      });
    });

    describe('proxies', () => {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' };
      const publicUrl = (route: ProtectedRoute) => `https://hooks.example.com${path(route)}`;

      it('with trustProxy, checks the token against the public URL from X-Forwarded-Proto/Host', async () => {
        const reply = await send({
          route: 'proxy',
          body: 'p',
          headers: forwarded,
          token: { url: publicUrl('proxy') },
        });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply).url).toBe(publicUrl('proxy'));
        const direct = await send({
          route: 'proxy',
          body: 'p',
          token: { url: publicUrl('proxy') },
        });
        expectProblem(direct, 401, 'URL_MISMATCH');
      });

      // The host is what a forger would change: a token issued for another app on the same QStash
      // account (same keys) must not become valid here by naming that app's host. (The scheme is
      // not asserted: some frameworks, Next.js among them, apply X-Forwarded-Proto themselves,
      // and the same host and path under another scheme is the same endpoint.)
      it('without trustProxy, ignores a forwarded host a client could forge', async () => {
        const forgedHost = { 'x-forwarded-host': 'hooks.example.com' };
        const reply = await send({
          route: 'echo',
          body: 'p',
          headers: forgedHost,
          token: { url: `http://hooks.example.com${path('echo')}` },
        });
        expectProblem(reply, 401, 'URL_MISMATCH');
        const own = await send({ route: 'echo', body: 'p', headers: forgedHost });
        expect(own.status, own.text).toBe(200);
      });
    });

    if (overHttp) {
      describePathSpellings(context);
      describeHostPinning(context);
    }
    describeProviders({ send, expectProblem, recordedErrors });
  });
}
