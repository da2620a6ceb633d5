// The order in which problems are reported (README "Errors"; src/verify.ts reads the same way).
// Each step gets a request that is wrong in that step and in every later one: the earlier
// problem is the one reported, in both builds.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adapter, builds } from './builds.ts';
import { BODY, KEYS, makeToken, OTHER_KEY, URL_ } from './tokens.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const Schema = z.object({ mustHave: z.string() });
const past = Math.floor(Date.now() / 1000) - 600;

describe.each(builds)(
  '%s build: the order of errors',
  (_name, { createVerifier, memoryReplayStore }) => {
    const replay = memoryReplayStore();
    const verifier = createVerifier({ ...KEYS, schema: Schema, replay, maxBodyBytes: 64 });
    let bodyRead = false;
    const incoming = (options: { token?: string | null; length?: string; body?: string }) => ({
      request: undefined,
      header: (name: string) =>
        name === 'upstash-signature'
          ? (options.token ?? null)
          : name === 'content-length'
            ? (options.length ?? null)
            : null,
      url: () => URL_,
      body: () => {
        bodyRead = true;
        return options.body ?? BODY;
      },
    });
    const check = (options: Parameters<typeof incoming>[0]) => {
      bodyRead = false;
      return codeOf(adapter.verifyIncoming(verifier, incoming(options)));
    };
    const big = 'x'.repeat(65);

    it('1. a missing token, before anything else', async () => {
      expect(await check({ token: null, length: '999999' })).toBe('SIGNATURE_MISSING');
    });

    it('2. a declared Content-Length over the limit, before the token is parsed', async () => {
      expect(await check({ token: 'not a token', length: '999999' })).toBe('BODY_TOO_LARGE');
      expect(bodyRead).toBe(false);
    });

    it('3. a malformed or non-HS256 token, without reading the body', async () => {
      expect(await check({ token: 'not.a-token', body: big })).toBe('SIGNATURE_MALFORMED');
      expect(await check({ token: makeToken({ header: { alg: 'none' } }), body: big })).toBe(
        'ALGORITHM_REJECTED',
      );
      expect(bodyRead).toBe(false);
    });

    it('4. a body over the limit, before the signature is checked', async () => {
      expect(await check({ token: makeToken({ key: OTHER_KEY }), body: big })).toBe(
        'BODY_TOO_LARGE',
      );
    });

    it('5. the signature, before the claims', async () => {
      expect(
        await check({ token: makeToken({ key: OTHER_KEY, iat: past, body: '{}' }), body: '{}' }),
      ).toBe('SIGNATURE_INVALID');
    });

    it('6. the claims (times, then URL), before the body hash', async () => {
      expect(
        await check({
          token: makeToken({ iat: past, url: 'https://elsewhere/', body: 'y' }),
          body: '{}',
        }),
      ).toBe('TOKEN_EXPIRED');
      expect(
        await check({ token: makeToken({ url: 'https://elsewhere/', body: 'y' }), body: '{}' }),
      ).toBe('URL_MISMATCH');
    });

    it('7. the body hash, before the schema', async () => {
      expect(await check({ token: makeToken({ body: '{"other":1}' }), body: '{}' })).toBe(
        'BODY_MISMATCH',
      );
    });

    it('8. the schema, before the replay mark, which it never sets', async () => {
      const token = makeToken({ body: '{}' });
      expect(await check({ token, body: '{}' })).toBe('BODY_INVALID');
      expect(await check({ token, body: '{}' })).toBe('BODY_INVALID'); // not REPLAYED: never marked
    });

    it('9. and last the replay mark', async () => {
      const token = makeToken({ body: '{"mustHave":"yes"}' });
      expect(await check({ token, body: '{"mustHave":"yes"}' })).toBe('accepted');
      expect(await check({ token, body: '{"mustHave":"yes"}' })).toBe('REPLAYED');
    });
  },
);
