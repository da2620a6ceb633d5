// The `logger` option: everything core says on its own goes there, nothing to console.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapter, builds } from './builds.ts';
import { KEYS, makeToken, URL_ } from './tokens.ts';

const incoming = (token: string | null, body: unknown = '{}') => ({
  request: new Request(URL_),
  header: (name: string) => (name === 'upstash-signature' ? token : null),
  url: () => URL_,
  body: () => body as string,
});

afterEach(() => vi.restoreAllMocks());

describe.each(builds)('%s build: logger', (_name, { createVerifier }) => {
  function spies() {
    return {
      consoleWarn: vi.spyOn(console, 'warn'),
      consoleError: vi.spyOn(console, 'error'),
      logger: { warn: vi.fn(), error: vi.fn() },
    };
  }

  it('gets the development-keys warning, once', () => {
    const { logger, consoleWarn } = spies();
    createVerifier({ logger, devMode: true, env: {} });
    createVerifier({ logger, devMode: true, env: {} });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]?.[0])).toContain('development signing keys');
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('gets an onError hook that threw, with the error', async () => {
    const { logger, consoleError } = spies();
    const broken = new Error('hook down');
    const verifier = createVerifier({
      ...KEYS,
      logger,
      onError: () => {
        throw broken;
      },
    });
    const outcome = await adapter.handle(verifier, incoming(null));
    expect(outcome.ok).toBe(false);
    expect(logger.error).toHaveBeenCalledWith('@signet/core: onError threw', broken);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('gets a replay mark that could not be released', async () => {
    const { logger } = spies();
    const store = {
      mark: () => true,
      release: () => Promise.reject(new Error('redis down')),
    };
    const verifier = createVerifier({ ...KEYS, logger, replay: store });
    const message = await verifier
      .verify({ signature: makeToken(), body: undefined, url: URL_ })
      .catch(() => undefined);
    const token = makeToken({ body: '{}' });
    const ok = await adapter.verifyIncoming(verifier, incoming(token));
    await adapter.settle(verifier, ok, 500);
    expect(message).toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(
      '@signet/core: could not release a replay mark',
      expect.any(Error),
    );
  });

  it('gets each kind of server-side refusal once (a 503 and a 500 are different problems)', async () => {
    const { logger } = spies();
    const verifier = createVerifier({
      ...KEYS,
      logger,
      replay: { mark: () => Promise.reject(new Error('down')), release: () => {} },
    });
    for (let i = 0; i < 3; i++) {
      const outcome = await adapter.handle(verifier, incoming(makeToken({ body: '{}' })));
      expect(outcome.ok ? 0 : outcome.response.status).toBe(503);
    }
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(String(logger.error.mock.calls[0]?.[0])).toContain('replay store');
  });

  it('is checked at creation', () => {
    expect(() => createVerifier({ ...KEYS, logger: {} as never })).toThrow(/logger/);
  });
});
