// @signet/core inside Bun, Deno and workerd, each installed from npm and started here: the build
// the runtime's own module resolution picks (the Web build on Deno and workerd, which runs with
// no Node compatibility at all; the Node build on Bun), and a corpus of good, tampered and
// malformed requests verified there. Every runtime must decide every case exactly as Node
// does, and accept exactly what the official Receiver accepts (Signet refuses a few things
// the Receiver lets through, on purpose; those are listed).
import { fileURLToPath } from 'node:url';
import { RUNTIMES, runtimeVersion, type Served, serveOn } from '@signet/app-harness/runtimes';
import * as nodeBuild from '@signet/core';
import { makeToken, nowSeconds } from '@signet/test-kit';
import { Receiver } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusCase, CorpusOutcome } from './entry.ts';

const KEYS = {
  currentSigningKey: 'sig_4nWQh7GcPZ1Jm2fHnEbw8tDkXyR3',
  nextSigningKey: 'sig_7pLmV9sQd2KaTx5HcYe1NgRbWj6F',
};
const URL_ = 'https://app.example.com/hooks/order?x=1';
const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));

// Either side of the Web build's cut-off (512 B) between its JS SHA-256 and crypto.subtle, and
// large bodies.
const sized = (n: number) => 'é'.repeat(Math.floor(n / 2)).slice(0, n);

function corpus(): CorpusCase[] {
  const now = nowSeconds();
  const cases: Array<[string, string | Uint8Array, Parameters<typeof makeToken>[0] | string]> = [
    [
      'json body, current key',
      '{"orderId":"o_1"}',
      { url: URL_, body: '{"orderId":"o_1"}', key: KEYS.currentSigningKey },
    ],
    ['json body, next key', '{"a":1}', { url: URL_, body: '{"a":1}', key: KEYS.nextSigningKey }],
    ['empty body', '', { url: URL_, body: '', key: KEYS.currentSigningKey }],
    ['unicode body', 'żółw 🐢 ₿', { url: URL_, body: 'żółw 🐢 ₿', key: KEYS.currentSigningKey }],
    [
      'binary body (not UTF-8)',
      Uint8Array.from([0, 255, 128, 10, 13, 254]),
      { url: URL_, body: Uint8Array.from([0, 255, 128, 10, 13, 254]), key: KEYS.currentSigningKey },
    ],
    [
      'body with a byte-order mark',
      '\ufeff{"a":1}',
      { url: URL_, body: '\ufeff{"a":1}', key: KEYS.currentSigningKey },
    ],
    [
      '512 B body',
      'x'.repeat(512),
      { url: URL_, body: 'x'.repeat(512), key: KEYS.currentSigningKey },
    ],
    [
      '513 B body',
      'x'.repeat(513),
      { url: URL_, body: 'x'.repeat(513), key: KEYS.currentSigningKey },
    ],
    [
      '64 KiB - 1 body',
      sized(65_535),
      { url: URL_, body: sized(65_535), key: KEYS.currentSigningKey },
    ],
    [
      '64 KiB + 1 body',
      sized(65_537),
      { url: URL_, body: sized(65_537), key: KEYS.currentSigningKey },
    ],
    [
      'tampered body',
      '{"orderId":"o_2"}',
      { url: URL_, body: '{"orderId":"o_1"}', key: KEYS.currentSigningKey },
    ],
    [
      'another URL',
      '{}',
      { url: 'https://app.example.com/hooks/other', body: '{}', key: KEYS.currentSigningKey },
    ],
    ['foreign key', '{}', { url: URL_, body: '{}', key: 'sig_2ZqLt8VnMw5HcRb9KxPe3JdGy7Ua' }],
    ['expired', '{}', { url: URL_, body: '{}', key: KEYS.currentSigningKey, iat: now - 3600 }],
    ['not yet valid', '{}', { url: URL_, body: '{}', key: KEYS.currentSigningKey, iat: now + 600 }],
    [
      'wrong issuer',
      '{}',
      { url: URL_, body: '{}', key: KEYS.currentSigningKey, claims: { iss: 'Mallory' } },
    ],
    ['HS512', '{}', { url: URL_, body: '{}', key: KEYS.currentSigningKey, alg: 'HS512' }],
    [
      'alg none',
      '{}',
      { url: URL_, body: '{}', key: KEYS.currentSigningKey, header: { alg: 'none', typ: 'JWT' } },
    ],
    ['no exp claim', '{}', { url: URL_, body: '{}', key: KEYS.currentSigningKey, omit: ['exp'] }],
    ['malformed token', '{}', 'not.a-token'],
    ['two parts', '{}', 'abc.def'],
  ];
  return cases.map(([name, body, token]) => ({
    name,
    token: typeof token === 'string' ? token : makeToken(token),
    body: Buffer.from(body).toString('base64'),
    url: URL_,
  }));
}

/** What Node decides, with `core` (the Node or the Web build). */
async function decide(core: typeof nodeBuild, cases: CorpusCase[]): Promise<CorpusOutcome[]> {
  const verifier = core.createVerifier(KEYS);
  const out: CorpusOutcome[] = [];
  for (const item of cases) {
    try {
      const message = await verifier.verify({
        signature: item.token,
        body: Buffer.from(item.body, 'base64'),
        url: item.url,
      });
      out.push({ name: item.name, ok: true, text: message.text() });
    } catch (error) {
      out.push({ name: item.name, ok: false, code: (error as { code: string }).code });
    }
  }
  return out;
}

const cases = corpus();
let expected: CorpusOutcome[];

// Node's own two builds agree case for case (core's differential tests); Node's decisions are
// the reference here.
beforeAll(async () => {
  expected = await decide(nodeBuild, cases);
});

it('accepts what the official Receiver accepts, but for what it refuses on purpose', async () => {
  const receiver = new Receiver(KEYS);
  const official: Record<string, boolean> = {};
  for (const item of cases) {
    official[item.name] = await receiver
      .verify({
        signature: item.token,
        body: Buffer.from(item.body, 'base64').toString(),
        url: item.url,
      })
      .then(
        () => true,
        () => false,
      );
  }
  const signet = Object.fromEntries(expected.map((outcome) => [outcome.name, outcome.ok]));
  // On purpose: the Receiver accepts HS512 and a token without exp, which Signet refuses; and it
  // takes the body as a string, so a binary body verifies only as its UTF-8 decoding, where
  // Signet hashes the bytes that came.
  expect(official).toMatchObject({
    HS512: true,
    'no exp claim': true,
    'binary body (not UTF-8)': false,
  });
  expect({
    ...official,
    HS512: false,
    'no exp claim': false,
    'binary body (not UTF-8)': true,
  }).toEqual(signet);
});

const EXPECTED_BUILD = { bun: 'node', deno: 'web', workerd: 'web' } as const;

describe.each(RUNTIMES)('@signet/core on %s', (runtime) => {
  let served: Served;
  beforeAll(async () => {
    served = await serveOn(runtime, { entry });
  }, 120_000);
  afterAll(() => served?.stop());

  it(`resolves the ${EXPECTED_BUILD[runtime]} build through its own exports conditions, and decides every case as Node does (${runtimeVersion(runtime)})`, async () => {
    const response = await fetch(served.origin, {
      method: 'POST',
      body: JSON.stringify({ keys: KEYS, cases }),
    });
    const text = await response.text();
    expect(response.status, `${text}\n${served.output()}`).toBe(200);
    const { build, outcomes } = JSON.parse(text) as { build: string; outcomes: CorpusOutcome[] };
    expect(build).toBe(EXPECTED_BUILD[runtime]);
    expect(outcomes).toEqual(expected);
  });
});
