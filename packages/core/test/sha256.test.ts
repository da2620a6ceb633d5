// The Web build computes every token's HMAC, and hashes bodies up to JS_HASH_MAX_BYTES, with its
// own SHA-256 (src/crypto/sha256.ts). A bug there that ignored part of the input or of the key
// would let a changed body or a forged token through, so both are held to the NIST and RFC 4231
// vectors and to node:crypto on every length around the block boundaries and at random.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacKey, hmacSha256, sha256 } from '../src/crypto/sha256.ts';
import { JS_HASH_MAX_BYTES, webCrypto } from '../src/crypto/web.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ascii = (text: string) => new TextEncoder().encode(text);
/** A copy of `bytes` with the byte at `at` (modulo the length) changed by `delta` (1–255). */
function oneByteChanged(bytes: Uint8Array, at: number, delta: number): Uint8Array {
  const changed = bytes.slice();
  const i = at % bytes.length;
  changed[i] = ((changed[i] as number) + delta) & 0xff;
  return changed;
}

describe('sha256 (JS, body hashes in the Web build)', () => {
  it('matches the FIPS 180-4 / NIST example vectors', () => {
    expect(hex(sha256(ascii('')))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(sha256(ascii('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex(sha256(ascii('a'.repeat(1_000_000))))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('matches node:crypto for every length from 0 to 300 bytes (all padding cases)', () => {
    const data = new Uint8Array(300).map((_, i) => (i * 131 + 7) & 0xff);
    for (let length = 0; length <= 300; length++) {
      const slice = data.subarray(0, length);
      expect(hex(sha256(slice)), `length ${length}`).toBe(reference(slice));
    }
  });

  it('matches node:crypto on random inputs up to the JS limit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: JS_HASH_MAX_BYTES }), (bytes) => {
        expect(hex(sha256(bytes))).toBe(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('changes when any single byte of the input changes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 4096 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, delta) => {
          expect(hex(sha256(oneByteChanged(bytes, at, delta)))).not.toBe(hex(sha256(bytes)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is used by the Web backend below the limit and crypto.subtle above, with the same result', async () => {
    const small = new Uint8Array(JS_HASH_MAX_BYTES).fill(7);
    const large = new Uint8Array(JS_HASH_MAX_BYTES + 1).fill(7);
    expect(typeof webCrypto.sha256(small)).toBe('string');
    expect(webCrypto.sha256(large)).toBeInstanceOf(Promise);
    expect(webCrypto.sha256(small)).toBe(createHash('sha256').update(small).digest('base64url'));
    expect(await webCrypto.sha256(large)).toBe(
      createHash('sha256').update(large).digest('base64url'),
    );
    expect(webCrypto.sha256('héllo')).toBe(
      createHash('sha256').update('héllo').digest('base64url'),
    );
  });
});

describe('hmacSha256 (JS, every token in the Web build, small provider bodies)', () => {
  const hmac = (key: Uint8Array, data: Uint8Array) => hex(hmacSha256(hmacKey(key), data));
  const referenceHmac = (key: Uint8Array, data: Uint8Array) =>
    createHmac('sha256', key).update(data).digest('hex');

  it('matches the RFC 4231 test vectors, including a key longer than a block', () => {
    expect(hmac(new Uint8Array(20).fill(0x0b), ascii('Hi There'))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(hmac(ascii('Jefe'), ascii('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(
      hmac(
        new Uint8Array(131).fill(0xaa),
        ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      ),
    ).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('matches node:crypto for every data length from 0 to 300 bytes and key lengths around 64', () => {
    const data = new Uint8Array(300).map((_, i) => (i * 131 + 7) & 0xff);
    for (const keyLength of [0, 1, 32, 63, 64, 65, 128]) {
      const key = new Uint8Array(keyLength).map((_, i) => (i * 17 + 3) & 0xff);
      for (let length = 0; length <= 300; length++) {
        const slice = data.subarray(0, length);
        expect(hmac(key, slice), `key ${keyLength}, length ${length}`).toBe(
          referenceHmac(key, slice),
        );
      }
    }
  });

  it('matches node:crypto on random keys and data up to the JS limit', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: JS_HASH_MAX_BYTES }),
        (key, data) => {
          expect(hmac(key, data)).toBe(referenceHmac(key, data));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes when any single byte of the key changes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (key, at, delta) => {
          const data = ascii('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0');
          expect(hmac(oneByteChanged(key, at, delta), data)).not.toBe(hmac(key, data));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives a provider MAC in JS up to the limit and through crypto.subtle above, the same either way', async () => {
    const secret = ascii('whsec_test_secret');
    const key = webCrypto.importRawKey(secret) as Awaited<
      ReturnType<typeof webCrypto.importRawKey>
    >;
    const prefix = '1700000000.';
    const small = 'a'.repeat(JS_HASH_MAX_BYTES - prefix.length);
    const large = 'a'.repeat(JS_HASH_MAX_BYTES - prefix.length + 1);
    const expected = (body: string) =>
      createHmac('sha256', secret).update(prefix).update(body).digest('hex');
    expect(webCrypto.mac(key, prefix, small, 'hex')).toBe(expected(small));
    const above = webCrypto.mac(key, prefix, large, 'hex');
    expect(above).toBeInstanceOf(Promise);
    expect(await above).toBe(expected(large));
    expect(await webCrypto.mac(key, prefix, new TextEncoder().encode(large), 'base64')).toBe(
      createHmac('sha256', secret).update(prefix).update(large).digest('base64'),
    );
  });
});
