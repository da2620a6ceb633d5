import { afterEach, describe, expect, it, vi } from 'vitest';
import { builds } from './builds.ts';
import { BODY, KEYS, makeToken, OTHER_KEY, URL_ } from './tokens.ts';

const quiet = { warn: () => {}, error: () => {} };

const EU = { current: 'sig_EuCurrentKey11111111111111', next: 'sig_EuNextKey1111111111111111' };
const US = { current: 'sig_UsCurrentKey11111111111111', next: 'sig_UsNextKey1111111111111111' };

describe.each(builds)('%s build: signing keys', (_name, { createVerifier, DEV_SIGNING_KEYS }) => {
  afterEach(() => vi.unstubAllEnvs());

  const accepts = async (
    verifier: ReturnType<typeof createVerifier>,
    key: string,
    region?: string,
  ) => {
    try {
      await verifier.verify({
        signature: makeToken({ key }),
        body: BODY,
        url: URL_,
        region: region ?? null,
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SIGNATURE_INVALID') return false;
      throw error;
    }
  };

  it('throws at creation, not on a request, when no keys are configured', () => {
    expect(() => createVerifier({ env: {} })).toThrow(/no signing keys/);
  });

  it('throws at creation when only one of the two keys is given', () => {
    expect(() => createVerifier({ currentSigningKey: KEYS.currentSigningKey, env: {} })).toThrow(
      /only the current/,
    );
    expect(() => createVerifier({ env: { QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey } })).toThrow(
      /only the next/,
    );
  });

  it('reads QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY from process.env by default', async () => {
    vi.stubEnv('QSTASH_CURRENT_SIGNING_KEY', KEYS.currentSigningKey);
    vi.stubEnv('QSTASH_NEXT_SIGNING_KEY', KEYS.nextSigningKey);
    const verifier = createVerifier();
    expect(await accepts(verifier, KEYS.currentSigningKey)).toBe(true);
    expect(await accepts(verifier, KEYS.nextSigningKey)).toBe(true);
    expect(await accepts(verifier, OTHER_KEY)).toBe(false);
  });

  it('lets explicit keys win over the environment', async () => {
    const verifier = createVerifier({
      currentSigningKey: OTHER_KEY,
      nextSigningKey: KEYS.nextSigningKey,
      env: { QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey, QSTASH_NEXT_SIGNING_KEY: 'sig_x' },
    });
    expect(await accepts(verifier, OTHER_KEY)).toBe(true);
    expect(await accepts(verifier, KEYS.currentSigningKey)).toBe(false);
  });

  it('trims white space pasted around keys', async () => {
    const verifier = createVerifier({
      env: {
        QSTASH_CURRENT_SIGNING_KEY: ` ${KEYS.currentSigningKey}\n`,
        QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
      },
    });
    expect(await accepts(verifier, KEYS.currentSigningKey)).toBe(true);
  });

  describe('multi-region (QSTASH_REGION + Upstash-Region)', () => {
    const env = {
      QSTASH_REGION: 'eu-central-1',
      EU_CENTRAL_1_QSTASH_CURRENT_SIGNING_KEY: EU.current,
      EU_CENTRAL_1_QSTASH_NEXT_SIGNING_KEY: EU.next,
      US_EAST_1_QSTASH_CURRENT_SIGNING_KEY: US.current,
      US_EAST_1_QSTASH_NEXT_SIGNING_KEY: US.next,
      QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
    };

    it('picks the region keys named by the Upstash-Region header, in any spelling', async () => {
      const verifier = createVerifier({ env });
      expect(await accepts(verifier, US.current, 'US-EAST-1')).toBe(true);
      expect(await accepts(verifier, US.next, 'us_east_1')).toBe(true);
      expect(await accepts(verifier, EU.current, 'eu-central-1')).toBe(true);
      // Region keys are not valid for another region.
      expect(await accepts(verifier, EU.current, 'US-EAST-1')).toBe(false);
    });

    it('falls back to the plain keys without a header or for an unknown region', async () => {
      const verifier = createVerifier({ env });
      expect(await accepts(verifier, KEYS.currentSigningKey)).toBe(true);
      expect(await accepts(verifier, KEYS.currentSigningKey, 'AP-SOUTH-1')).toBe(true);
      expect(await accepts(verifier, US.current)).toBe(false);
    });

    it('works with region keys alone, rejecting requests from regions without keys', async () => {
      const { QSTASH_CURRENT_SIGNING_KEY: _c, QSTASH_NEXT_SIGNING_KEY: _n, ...regionOnly } = env;
      const verifier = createVerifier({ env: regionOnly });
      expect(await accepts(verifier, US.current, 'US-EAST-1')).toBe(true);
      expect(await accepts(verifier, US.current)).toBe(false);
    });

    it('ignores region keys unless QSTASH_REGION is set, like the official SDK', () => {
      const {
        QSTASH_REGION: _r,
        QSTASH_CURRENT_SIGNING_KEY: _c,
        QSTASH_NEXT_SIGNING_KEY: _n,
        ...noRegion
      } = env;
      expect(() => createVerifier({ env: noRegion })).toThrow(/no signing keys/);
    });

    it('explicit keys win over region keys', async () => {
      const verifier = createVerifier({ ...KEYS, env });
      expect(await accepts(verifier, US.current, 'US-EAST-1')).toBe(false);
      expect(await accepts(verifier, KEYS.currentSigningKey, 'US-EAST-1')).toBe(true);
    });
  });

  describe('QSTASH_DEV (the official SDK development mode)', () => {
    it('uses the development keys when nothing else is configured', async () => {
      const verifier = createVerifier({ env: { QSTASH_DEV: '1' }, logger: quiet });
      expect(await accepts(verifier, DEV_SIGNING_KEYS.current)).toBe(true);
      expect(await accepts(verifier, DEV_SIGNING_KEYS.next)).toBe(true);
    });

    it('never in production, and never over configured keys', async () => {
      expect(() => createVerifier({ env: { QSTASH_DEV: 'true', NODE_ENV: 'production' } })).toThrow(
        /no signing keys/,
      );
      const verifier = createVerifier({ ...KEYS, env: { QSTASH_DEV: '1' } });
      expect(await accepts(verifier, DEV_SIGNING_KEYS.current)).toBe(false);
    });
  });

  describe('option checks at creation', () => {
    it.each([
      [{ clockTolerance: -1 }, /clockTolerance/],
      [{ clockTolerance: Number.NaN }, /clockTolerance/],
      [{ maxBodyBytes: 1.5 }, /maxBodyBytes/],
      [{ url: '/relative/path' }, /url must be/],
      [{ url: 'https://exa mple.com' }, /not a valid URL/],
      [{ schema: { parse() {} } }, /Standard Schema/],
    ])('rejects %o', (bad, message) => {
      expect(() => createVerifier({ ...KEYS, ...(bad as object) })).toThrow(message);
    });
  });
});

describe('key import (Web build, counted on crypto.subtle)', () => {
  it('verifies tokens without crypto.subtle: the HMAC is in JS, from key states made at creation', async () => {
    const { webBuild } = await import('./builds.ts');
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    try {
      const verifier = webBuild.createVerifier(KEYS);
      for (const key of [KEYS.currentSigningKey, KEYS.nextSigningKey, KEYS.currentSigningKey]) {
        for (let i = 0; i < 5; i++)
          await verifier.verify({ signature: makeToken({ key }), body: BODY, url: URL_ });
      }
      await expect(
        verifier.verify({ signature: makeToken({ key: OTHER_KEY }), body: BODY, url: URL_ }),
      ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
      expect(importKey).not.toHaveBeenCalled();
      expect(sign).not.toHaveBeenCalled();
    } finally {
      importKey.mockRestore();
      sign.mockRestore();
    }
  });

  it('imports a provider secret into crypto.subtle once, on the first body too large for JS', async () => {
    const { webBuild } = await import('./builds.ts');
    const { signStripeWebhook } = await import('../dist/testing.js');
    const { JS_HASH_MAX_BYTES } = await import('../src/crypto/web.ts');
    const secret = 'whsec_key_import_test';
    const verifier = webBuild.createVerifier({ provider: webBuild.stripe({ secret }) });
    // Signed before counting: the test signer imports its own key each time.
    const small = JSON.stringify({ id: 'evt_small', type: 'ping' });
    const smallHeaders = await signStripeWebhook({ secret, body: small });
    const large = [0, 1, 2].map((i) =>
      JSON.stringify({ id: `evt_${i}`, pad: 'x'.repeat(JS_HASH_MAX_BYTES) }),
    );
    const largeHeaders = await Promise.all(
      large.map((body) => signStripeWebhook({ secret, body })),
    );
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    try {
      await verifier.verify({ body: small, headers: smallHeaders });
      expect(importKey).not.toHaveBeenCalled();
      for (const [i, body] of large.entries()) {
        await verifier.verify({ body, headers: largeHeaders[i] });
      }
      expect(importKey).toHaveBeenCalledTimes(1);
      expect(sign).toHaveBeenCalledTimes(3);
    } finally {
      importKey.mockRestore();
      sign.mockRestore();
    }
  });
});

describe.each(builds)(
  '%s build: devMode option (as in @upstash/qstash/nextjs)',
  (_name, { createVerifier, DEV_SIGNING_KEYS }) => {
    it('devMode: true uses the development keys without QSTASH_DEV, but never in production', async () => {
      const verifier = createVerifier({ devMode: true, env: {}, logger: quiet });
      await expect(
        verifier.verify({
          signature: makeToken({ key: DEV_SIGNING_KEYS.next }),
          body: BODY,
          url: URL_,
        }),
      ).resolves.toBeDefined();
      expect(() => createVerifier({ devMode: true, env: { NODE_ENV: 'production' } })).toThrow(
        /no signing keys/,
      );
    });

    it('devMode: false ignores QSTASH_DEV', () => {
      expect(() => createVerifier({ devMode: false, env: { QSTASH_DEV: '1' } })).toThrow(
        /no signing keys/,
      );
    });
  },
);
