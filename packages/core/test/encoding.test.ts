// Both builds must accept exactly the same token segments, so their decoders are checked
// against each other on every kind of input, canonical or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../src/crypto/node.ts';
import { webCrypto } from '../src/crypto/web.ts';
import { base64UrlDecode, base64UrlEncode, isCanonicalBase64Url } from '../src/encoding.ts';

describe('base64url', () => {
  it('encodes like Buffer and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = base64UrlEncode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect(isCanonicalBase64Url(encoded)).toBe(true);
        expect(base64UrlDecode(encoded)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses non-canonical spellings: padding, standard alphabet, stray or unused bits', () => {
    const canonical = Buffer.from('hello!').toString('base64url'); // 'aGVsbG8h'
    for (const bad of [
      'aGVsbG8h=',
      'aGVsbG9',
      'aGVsbG8hA',
      'aGV sbG8h',
      'aGVs+G8h',
      'aGVs/G8h',
      'aGVsbG8hé',
      'QR',
      'QUF',
    ]) {
      expect(isCanonicalBase64Url(bad), bad).toBe(false);
      expect(base64UrlDecode(bad), bad).toBeUndefined();
    }
    expect(isCanonicalBase64Url(canonical)).toBe(true);
    expect(isCanonicalBase64Url('aGVsbG8')).toBe(true); // 'hello'
    expect(isCanonicalBase64Url('QQ')).toBe(true);
    expect(isCanonicalBase64Url('QUE')).toBe(true);
  });

  it('decodes token segments identically in the Node and Web backends', () => {
    const segment = fc.oneof(
      fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.string({ unit: fc.constantFrom(...'ABCabc019-_+/= .!é'.split('')), maxLength: 40 }),
      fc.uint8Array({ minLength: 1, maxLength: 60 }).chain((bytes) =>
        fc.nat().map((i) => {
          const s = Buffer.from(bytes).toString('base64url');
          const at = i % s.length;
          return s.slice(0, at) + 'A+/=é'.charAt(i % 5) + s.slice(at + 1);
        }),
      ),
    );
    fc.assert(
      fc.property(segment, (s) => {
        expect(nodeCrypto.decodeText(s)).toBe(webCrypto.decodeText(s));
      }),
      { numRuns: 5000 },
    );
  });
});
