// `next build` imports route modules to collect their config, usually without runtime secrets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifySignature, verifySignatureAppRouter } from '../src/index.ts';

const handler = async () => new Response('ok');

describe('signing keys and the build phase', () => {
  afterEach(() => vi.unstubAllEnvs());

  function withoutKeys() {
    vi.stubEnv('QSTASH_CURRENT_SIGNING_KEY', '');
    vi.stubEnv('QSTASH_NEXT_SIGNING_KEY', '');
  }

  it('still fails at import when keys are missing at run time', () => {
    withoutKeys();
    expect(() => verifySignatureAppRouter(handler)).toThrow(/no signing keys/);
    expect(() => verifySignature(async () => {})).toThrow(/no signing keys/);
  });

  it('lets `next build` import a route without keys, and checks them on the first request', async () => {
    withoutKeys();
    vi.stubEnv('NEXT_PHASE', 'phase-production-build');
    const route = verifySignatureAppRouter(handler);
    expect(typeof verifySignature(async () => {})).toBe('function');
    await expect(route(new Request('https://app.test/api', { method: 'POST' }), {})).rejects.toThrow(
      /no signing keys/,
    );
  });
});
