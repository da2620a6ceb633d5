import type { Maybe } from '../maybe.ts';

export type MacEncoding = 'base64' | 'hex';

/**
 * The primitives verification needs. The Node build implements them with `node:crypto`
 * (synchronous, about 10x faster than Web Crypto for a 1 KiB body); the default build with
 * `crypto.subtle`. Results may be plain values or promises so the Node build never pays for an
 * `await` it does not need.
 */
export interface CryptoBackend<Key = unknown> {
  readonly name: 'node' | 'web';
  /**
   * True when `hmac` and `sha256` always answer synchronously. Then the MAC is checked once the
   * body has arrived, in one pass with the body hash (measured ~10 % more requests/s under load
   * than checking it when the headers arrive: the crypto code stays in cache). When false (the
   * Web build hashes large bodies with crypto.subtle), the body hash starts as soon as the body
   * is in and the MAC and claims are checked while it runs.
   */
  readonly synchronous: boolean;
  /** Turns a signing key string into whatever makes HMAC cheapest; called once per key. */
  importKey(secret: string): Key | Promise<Key>;
  /** Unpadded base64url HMAC-SHA-256 of the UTF-8 bytes of `data`. */
  hmac(key: Key, data: string): string | Promise<string>;
  /** A webhook provider's secret (raw bytes) as an HMAC-SHA-256 key; called once per secret. */
  importRawKey(secret: Uint8Array): Key | Promise<Key>;
  /**
   * HMAC-SHA-256 of `prefix` (UTF-8) followed by `body`, as a webhook provider's header spells
   * it: standard padded base64 or lower-case hex.
   */
  mac(key: Key, prefix: string, body: string | Uint8Array, encoding: MacEncoding): Maybe<string>;
  /** Unpadded base64url SHA-256 of `body` (a string is hashed as UTF-8). */
  sha256(body: string | Uint8Array): string | Promise<string>;
  /** Constant-time comparison of two base64url strings. */
  equal(a: string, b: string): boolean;
  /** Strict (canonical) base64url to UTF-8 text, or undefined when `segment` is not canonical. */
  decodeText(segment: string): string | undefined;
}
