// The Web build hashes bodies up to JS_HASH_MAX_BYTES (512 B) with its own SHA-256
// (src/crypto/sha256.ts). A bug there that ignored part of the input would let a changed body through, so it is held to the
// NIST vectors and to node:crypto on every length around the block boundaries and at random.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/crypto/sha256.ts';
import { JS_HASH_MAX_BYTES, webCrypto } from '../src/crypto/web.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ascii = (text: string) => new TextEncoder().encode(text);

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
          const changed = bytes.slice();
          const i = at % bytes.length;
          changed[i] = ((changed[i] as number) + delta) & 0xff;
          expect(hex(sha256(changed))).not.toBe(hex(sha256(bytes)));
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
