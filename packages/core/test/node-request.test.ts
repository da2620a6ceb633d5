// nodeRequestBody on real Node IncomingMessages, in the states body parsers leave them in.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adapter, nodeBuild } from './builds.ts';
import { KEYS, makeToken } from './tokens.ts';

const { createVerifier } = nodeBuild;
const { handle, nodeRequestBody } = adapter;
type NodeRequest = IncomingMessage & { body?: unknown; _body?: boolean };
const FIX = 'Put signature() before express.json().';
type Prepare = (req: IncomingMessage & { body?: unknown; _body?: boolean }) => Promise<void>;

// The misconfiguration these tests provoke is logged once per verifier; here it goes nowhere.
const quiet = { warn: () => {}, error: () => {} };
let prepare: Prepare = async () => {};
let base = '';
const server = createServer(async (req, res) => {
  await prepare(req);
  const verifier = createVerifier<undefined, NodeRequest>({ ...KEYS, url: 'skip', logger: quiet });
  const outcome = await handle(verifier, {
    request: req,
    header: (name) => req.headers[name] as string | undefined,
    url: () => `http://${req.headers.host}${req.url}`,
    body: () => nodeRequestBody(req, FIX),
  });
  res.writeHead(outcome.ok ? 200 : outcome.response.status, { 'content-type': 'application/json' });
  res.end(outcome.ok ? JSON.stringify({ text: outcome.message.text() }) : outcome.response.body);
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const readAll = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

async function send(
  body: string,
  contentLength = true,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const token = makeToken({ body });
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/hook`, {
      method: 'POST',
      headers: {
        'upstash-signature': token,
        ...(contentLength ? { 'content-length': Buffer.byteLength(body) } : {}),
      },
    });
    req.on('response', async (res) => {
      const text = (await readAll(res as IncomingMessage)).toString();
      resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('nodeRequestBody', () => {
  it('reads the untouched request stream', async () => {
    prepare = async () => {};
    expect(await send('{"a":1}')).toEqual({ status: 200, json: { text: '{"a":1}' } });
  });

  it('reads the stream even when a skipped parser left a {} placeholder (Express 4)', async () => {
    prepare = async (req) => {
      req.body = {};
    };
    expect(await send('{"a":2}')).toEqual({ status: 200, json: { text: '{"a":2}' } });
  });

  it('uses a Buffer a raw parser left in req.body', async () => {
    prepare = async (req) => {
      req.body = await readAll(req);
    };
    expect(await send('{"a":3}')).toEqual({ status: 200, json: { text: '{"a":3}' } });
  });

  it('refuses with 500 BODY_ALREADY_PARSED and the fix when a parser consumed it', async () => {
    prepare = async (req) => {
      req.body = JSON.parse((await readAll(req)).toString());
    };
    const { status, json } = await send('{"a":4}');
    expect(status).toBe(500);
    expect(json).toMatchObject({ code: 'BODY_ALREADY_PARSED', status: 500, detail: FIX });
  });

  it('refuses a string left by a text parser too (it may not be the signed bytes)', async () => {
    prepare = async (req) => {
      req.body = (await readAll(req)).toString('latin1');
    };
    expect((await send('{"a":"é"}')).json).toMatchObject({ code: 'BODY_ALREADY_PARSED' });
  });

  it('treats a consumed empty body (Content-Length: 0) as empty', async () => {
    prepare = async (req) => {
      await readAll(req);
      req.body = {};
    };
    expect(await send('')).toEqual({ status: 200, json: { text: '' } });
  });

  it('logs a misconfiguration once per verifier, however many requests hit it', async () => {
    const log = { warn: vi.fn(), error: vi.fn() };
    const verifier = createVerifier({ ...KEYS, url: 'skip', logger: log });
    const consumed = { headers: {}, readableEnded: true, body: { a: 1 } } as never;
    for (let i = 0; i < 3; i++) {
      const outcome = await handle(verifier, {
        request: consumed,
        header: (name) =>
          name === 'upstash-signature' ? makeToken({ body: '{"a":1}' }) : undefined,
        url: () => 'http://x/',
        body: () => nodeRequestBody(consumed, FIX),
      });
      expect(outcome.ok ? 0 : outcome.response.status).toBe(500);
    }
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(String(log.error.mock.calls[0]?.[0])).toContain(FIX);
  });
});
