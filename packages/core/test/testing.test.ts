import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKey, signedRequest, signRequest } from '../dist/testing.js';
import { nodeBuild } from './builds.ts';
import { KEYS } from './tokens.ts';

const { createVerifier } = nodeBuild;

describe('@signet/core/testing', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('signedRequest makes a Request the verifier accepts, with a JSON body', async () => {
    const verifier = createVerifier(KEYS);
    const request = await signedRequest('https://app.test/api/hook', {
      key: KEYS.nextSigningKey,
      json: { id: 1 },
    });
    expect(request.headers.get('content-type')).toBe('application/json');
    const message = await verifier.verifyRequest(request);
    expect(message.json()).toEqual({ id: 1 });
    expect(message.id).toMatch(/^msg_/);
    expect(message.retried).toBe(0);
  });

  it('signs with QSTASH_CURRENT_SIGNING_KEY by default', async () => {
    vi.stubEnv('QSTASH_CURRENT_SIGNING_KEY', KEYS.currentSigningKey);
    const request = await signedRequest('https://app.test/api/hook', {
      body: 'hello',
      retried: 2,
      messageId: 'msg_x',
      scheduleId: 'scd_1',
    });
    const message = await createVerifier(KEYS).verifyRequest(request);
    expect([message.text(), message.retried, message.id, message.scheduleId]).toEqual([
      'hello',
      2,
      'msg_x',
      'scd_1',
    ]);
  });

  it('explains what to do when there is no key', async () => {
    vi.stubEnv('QSTASH_CURRENT_SIGNING_KEY', '');
    await expect(signRequest({ url: 'https://app.test/' })).rejects.toThrow(
      /QSTASH_CURRENT_SIGNING_KEY/,
    );
  });

  it('makes GET requests without a body', async () => {
    const request = await signedRequest('https://app.test/cron', {
      method: 'GET',
      key: KEYS.currentSigningKey,
    });
    expect(request.body).toBeNull();
    expect((await createVerifier(KEYS).verifyRequest(request)).body.length).toBe(0);
  });

  it('can make deliberately bad tokens for negative tests', async () => {
    const request = await signedRequest('https://app.test/api/hook', {
      key: KEYS.currentSigningKey,
      body: 'x',
      now: Date.now() - 600_000,
    });
    await expect(createVerifier(KEYS).verifyRequest(request)).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
    const noIssuer = await signedRequest('https://app.test/api/hook', {
      key: KEYS.currentSigningKey,
      claims: { iss: undefined },
    });
    await expect(createVerifier(KEYS).verifyRequest(noIssuer)).rejects.toMatchObject({
      code: 'ISSUER_MISMATCH',
    });
  });

  it('generates signing keys in the QStash format', () => {
    const keys = new Set(Array.from({ length: 100 }, generateSigningKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^sig_[1-9A-HJ-NP-Za-km-z]{28}$/);
  });
});
