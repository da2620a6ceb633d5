// The helpers adapters share: they live in core so that no two adapters grow the same code.
import { describe, expect, it } from 'vitest';
import { adapter, nodeBuild } from './builds.ts';
import { BODY, KEYS, makeToken, URL_ } from './tokens.ts';

const { createVerifier } = nodeBuild;
const { nodeParsedBody, nodeRequestIncoming, nodeRequestUrl, verifyIncoming, webRequestIncoming } =
  adapter;

async function messageFor(body: string) {
  return createVerifier({ ...KEYS, url: 'skip' }).verify({ signature: makeToken({ body }), body });
}

describe('node request helpers', () => {
  const req = (headers: Record<string, string | string[]>, url = '/a?b=1', encrypted = false) =>
    ({ headers, url, socket: { encrypted } }) as never;

  it('joins repeated headers as Node does', () => {
    const incoming = (headers: Record<string, string | string[]>) =>
      nodeRequestIncoming(req(headers), { parsedFix: 'fix' });
    expect(incoming({ 'x-a': ['1', '2'] }).header('x-a')).toBe('1, 2');
    expect(incoming({}).header('x-a')).toBeUndefined();
  });

  it('builds the URL from Host and the path, https on TLS sockets', () => {
    expect(nodeRequestUrl(req({ host: 'app.test:8080' }))).toBe('http://app.test:8080/a?b=1');
    expect(nodeRequestUrl(req({ host: 'app.test' }, '/x', true))).toBe('https://app.test/x');
    expect(nodeRequestUrl(req({ host: 'app.test' }), '/mounted/x?y')).toBe(
      'http://app.test/mounted/x?y',
    );
  });

  it('parses req.body by content type, as the framework parsers would', async () => {
    const json = await messageFor('{"a":1}');
    expect(nodeParsedBody('application/json; charset=utf-8', json)).toEqual({ a: 1 });
    expect(nodeParsedBody('application/vnd.api+json', json)).toEqual({ a: 1 });
    expect(nodeParsedBody('text/plain', json)).toBe('{"a":1}');
    const bytes = nodeParsedBody('application/octet-stream', json);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect((bytes as Buffer).toString()).toBe('{"a":1}');
    expect(nodeParsedBody('application/json', await messageFor('not json'))).toBe('not json');
    expect(nodeParsedBody(undefined, await messageFor(''))).toBeUndefined();
  });
});

describe('webRequestIncoming', () => {
  it('verifies from a clone, leaving the original request body readable', async () => {
    const request = new Request(URL_, {
      method: 'POST',
      body: BODY,
      headers: { 'upstash-signature': makeToken() },
    });
    const message = await verifyIncoming(
      createVerifier(KEYS),
      webRequestIncoming(request, request),
    );
    expect(message.text()).toBe(BODY);
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe(BODY);
  });
});

describe('IncomingRequest.claimUrl (frameworks that re-encode URLs)', () => {
  const verifier = createVerifier(KEYS);
  const seen = 'https://app.test/hook?flag=&name=a+b';
  const respell = (claimed: string) => {
    const at = claimed.indexOf('?');
    if (at === -1) return claimed;
    const query = new URLSearchParams(claimed.slice(at)).toString();
    return claimed.slice(0, at) + (query ? `?${query}` : '');
  };
  const incoming = (token: string, claimUrl?: (claimed: string) => string) => ({
    request: new Request(seen),
    header: (name: string) => (name === 'upstash-signature' ? token : null),
    url: () => seen,
    body: () => BODY,
    ...(claimUrl ? { claimUrl } : {}),
  });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    );

  it('compares the token URL in the framework’s spelling', async () => {
    const token = makeToken({ url: 'https://app.test/hook?flag&name=a%20b' });
    expect(await code(verifyIncoming(verifier, incoming(token)))).toBe('URL_MISMATCH');
    expect(await code(verifyIncoming(verifier, incoming(token, respell)))).toBe('accepted');
  });

  it('still refuses a token for another URL, and fails closed when the hook throws', async () => {
    expect(
      await code(
        verifyIncoming(
          verifier,
          incoming(makeToken({ url: 'https://app.test/hook?flag&name=c' }), respell),
        ),
      ),
    ).toBe('URL_MISMATCH');
    const broken = () => {
      throw new Error('bad');
    };
    expect(
      await code(
        verifyIncoming(verifier, incoming(makeToken({ url: 'https://app.test/other' }), broken)),
      ),
    ).toBe('URL_MISMATCH');
  });
});
