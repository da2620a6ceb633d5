// `origin` / SIGNET_ORIGIN: the host part of the URL check comes from configuration, never from
// the request, so a token QStash signed for another app on the same account (same keys) is
// refused here whatever Host the forger sends.
import { describe, expect, it, vi } from 'vitest';
import { adapter, builds } from './builds.ts';
import { BODY, KEYS, makeToken } from './tokens.ts';

const PATH = '/api/hooks/order?tenant=42';
const quiet = { warn: vi.fn(), error: vi.fn() };

function request(host: string, token: string, target = PATH) {
  return {
    request: undefined,
    header: (name: string) =>
      name === 'upstash-signature' ? token : name === 'host' ? host : null,
    url: () => (target.startsWith('http') ? target : `http://${host}${target}`),
    body: () => BODY,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe.each(builds)('%s build: origin', (_name, { createVerifier }) => {
  const verify = (
    options: Parameters<typeof createVerifier>[0],
    host: string,
    token: string,
    target?: string,
  ) =>
    adapter.verifyIncoming(
      createVerifier({ ...KEYS, logger: quiet, ...options }),
      request(host, token, target),
    );

  it('checks the token against the pinned origin plus the request path, whatever Host says', async () => {
    const token = makeToken({ url: `https://app.example.com${PATH}` });
    const message = await verify({ origin: 'https://app.example.com' }, 'internal:3000', token);
    expect(message.url).toBe(`https://app.example.com${PATH}`);
  });

  it("refuses a token for another app on the same keys, sent with that app's Host", async () => {
    // Unpinned, the host is whatever the request says: this is the hole `origin` closes.
    const foreign = makeToken({ url: `http://other-app.example${PATH}` });
    expect(await codeOf(verify({}, 'other-app.example', foreign))).toBe('accepted');
    expect(
      await codeOf(verify({ origin: 'https://app.example.com' }, 'other-app.example', foreign)),
    ).toBe('URL_MISMATCH');
  });

  it('ignores the host of an absolute-form request target', async () => {
    const foreign = makeToken({ url: `http://other-app.example${PATH}` });
    expect(
      await codeOf(
        verify(
          { origin: 'https://app.example.com' },
          'app.example.com',
          foreign,
          `http://other-app.example${PATH}`,
        ),
      ),
    ).toBe('URL_MISMATCH');
  });

  it('ignores X-Forwarded-Host even with trustProxy: the pinned origin wins', async () => {
    const verifier = createVerifier({
      ...KEYS,
      logger: quiet,
      origin: 'https://app.example.com',
      trustProxy: true,
    });
    const token = makeToken({ url: `https://evil.example${PATH}` });
    const forwarded = {
      ...request('app.example.com', token),
      header: (name: string) =>
        name === 'upstash-signature' ? token : name === 'x-forwarded-host' ? 'evil.example' : null,
    };
    expect(await codeOf(adapter.verifyIncoming(verifier, forwarded))).toBe('URL_MISMATCH');
  });

  it('accepts any origin of a list, and says which one matched', async () => {
    const origins = ['https://app.example.com', 'https://www.app.example.com:8443'];
    const second = makeToken({ url: `https://www.app.example.com:8443${PATH}` });
    expect((await verify({ origin: origins }, 'x', second)).url).toBe(
      `https://www.app.example.com:8443${PATH}`,
    );
    const other = makeToken({ url: `https://other.example${PATH}` });
    expect(await codeOf(verify({ origin: origins }, 'other.example', other))).toBe('URL_MISMATCH');
  });

  it('reads SIGNET_ORIGIN (comma-separated) when the option is not given; the option wins', async () => {
    const env = { SIGNET_ORIGIN: 'https://a.example, https://b.example' };
    const forB = makeToken({ url: `https://b.example${PATH}` });
    expect(await codeOf(verify({ env }, 'evil.example', forB))).toBe('accepted');
    expect(await codeOf(verify({ env, origin: 'https://a.example' }, 'b.example', forB))).toBe(
      'URL_MISMATCH',
    );
  });

  it('applies to verify() too, replacing the host of the URL the caller passed', async () => {
    const verifier = createVerifier({ ...KEYS, logger: quiet, origin: 'https://app.example.com' });
    const token = makeToken({ url: `https://app.example.com${PATH}` });
    const message = await verifier.verify({
      signature: token,
      body: BODY,
      url: `http://10.0.0.7:3000${PATH}`,
    });
    expect(message.url).toBe(`https://app.example.com${PATH}`);
  });

  it('normalises what it is given (case, trailing slash, default port)', async () => {
    const token = makeToken({ url: `https://app.example.com${PATH}` });
    expect(await codeOf(verify({ origin: 'HTTPS://App.Example.com:443/' }, 'x', token))).toBe(
      'accepted',
    );
  });

  it('loses to a fixed url or a url function, which name the whole URL', async () => {
    const token = makeToken({ url: 'https://fixed.example/hook' });
    expect(
      await codeOf(
        verify(
          { origin: 'https://app.example.com', url: 'https://fixed.example/hook' },
          'x',
          token,
        ),
      ),
    ).toBe('accepted');
  });

  it('refuses, at creation, an origin with a path, a query, another scheme, or nothing at all', () => {
    for (const origin of [
      'https://app.example.com/base',
      'https://a.example?x=1',
      'ftp://a.example',
      'app.example.com',
      '',
      ' , ',
    ]) {
      expect(() => createVerifier({ ...KEYS, origin }), origin).toThrow(TypeError);
    }
    expect(() => createVerifier({ ...KEYS, env: { SIGNET_ORIGIN: 'nope' } })).toThrow(
      /SIGNET_ORIGIN/,
    );
  });
});

describe.each(builds)('%s build: the unpinned-host warning', (_name, { createVerifier }) => {
  const token = () => makeToken({ url: `http://app.example.com${PATH}` });

  it('warns once, at the first verification, in production when nothing pins the host', async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const verifier = createVerifier({ ...KEYS, logger, env: { NODE_ENV: 'production' } });
    expect(logger.warn).not.toHaveBeenCalled();
    for (let i = 0; i < 3; i++)
      await adapter.verifyIncoming(verifier, request('app.example.com', token()));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]?.[0])).toMatch(/SIGNET_ORIGIN=.*trustProxy/s);
    // A second verifier on the same logger does not repeat it.
    await adapter.verifyIncoming(
      createVerifier({ ...KEYS, logger, env: { NODE_ENV: 'production' } }),
      request('app.example.com', token()),
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('stays quiet outside production, or with origin, trustProxy, a fixed url or url: skip', async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const production = { NODE_ENV: 'production' };
    const cases = [
      { env: {} },
      { env: production, origin: 'http://app.example.com' },
      { env: { ...production, SIGNET_ORIGIN: 'http://app.example.com' } },
      { env: production, trustProxy: true },
      { env: production, url: `http://app.example.com${PATH}` },
      { env: production, url: 'skip' as const },
    ];
    for (const options of cases) {
      await adapter.verifyIncoming(
        createVerifier({ ...KEYS, logger, ...options }),
        request('app.example.com', token()),
      );
    }
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
