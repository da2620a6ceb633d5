import {
  base64Encode,
  base64UrlDecode,
  base64UrlEncode,
  concatBytes,
  constantTimeEqual,
  hexEncode,
  utf8Decoder,
  utf8Encoder,
} from '../encoding.ts';
import type { CryptoBackend } from './backend.ts';
import { type HmacKey, hmacKey, hmacSha256, sha256 } from './sha256.ts';

/**
 * Up to this size a body (or a provider's MAC input) is hashed in JS; above, by crypto.subtle.
 * Measured end to end (verify ops/s by size and cut-off, dist variants from 512 B to 16 KiB,
 * bench/sizes.bench.ts and the same sweep in Deno), with the token's HMAC in JS: JS wins up to
 * 8 KiB (Node 2.2× the official Receiver at 8 KiB against 1.2× through crypto.subtle; Deno +45 %)
 * and the two are even at 16 KiB in both. Sequential latency is the kinder view for the JS
 * hash (a thread-pool round trip is idle time there, CPU time on a busy server), so the
 * cut-off stays below the even point.
 */
export const JS_HASH_MAX_BYTES = 8192;

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (!value) throw new Error('@signet/core: crypto.subtle is not available in this runtime');
  return value;
}

/**
 * A Web build key: the JS HMAC's precomputed states (every token, and small provider bodies),
 * and a CryptoKey for large provider bodies, imported the first time one comes.
 */
export interface WebKey {
  readonly js: HmacKey;
  cryptoKey(): Promise<CryptoKey>;
}

function webKey(secret: Uint8Array): WebKey {
  let imported: Promise<CryptoKey> | undefined;
  return {
    js: hmacKey(secret),
    cryptoKey: () => {
      imported ??= subtle().importKey('raw', secret as Uint8Array<ArrayBuffer>, HMAC, false, [
        'sign',
      ]);
      return imported;
    },
  };
}

export const webCrypto: CryptoBackend<WebKey> = {
  name: 'web',
  // sha256 and mac answer with a promise above JS_HASH_MAX_BYTES.
  synchronous: false,
  importKey: (secret) => webKey(utf8Encoder.encode(secret)),
  // A token's signing input is a few hundred bytes: always in JS (see sha256.ts).
  hmac: (key, data) => base64UrlEncode(hmacSha256(key.js, utf8Encoder.encode(data))),
  sha256: (body) => {
    const bytes = typeof body === 'string' ? utf8Encoder.encode(body) : body;
    if (bytes.length <= JS_HASH_MAX_BYTES) return base64UrlEncode(sha256(bytes));
    return subtle()
      .digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
      .then((digest) => base64UrlEncode(new Uint8Array(digest)));
  },
  importRawKey: (secret) => webKey(secret.slice()),
  mac: (key, prefix, body, encoding) => {
    const head = utf8Encoder.encode(prefix);
    const tail = typeof body === 'string' ? utf8Encoder.encode(body) : body;
    const data = concatBytes([head, tail], head.length + tail.length);
    const spell = (mac: Uint8Array) => (encoding === 'hex' ? hexEncode(mac) : base64Encode(mac));
    if (data.length <= JS_HASH_MAX_BYTES) return spell(hmacSha256(key.js, data));
    return key
      .cryptoKey()
      .then((cryptoKey) => subtle().sign('HMAC', cryptoKey, data as Uint8Array<ArrayBuffer>))
      .then((mac) => spell(new Uint8Array(mac)));
  },
  equal: constantTimeEqual,
  decodeText: (segment) => {
    const bytes = base64UrlDecode(segment);
    return bytes && utf8Decoder.decode(bytes);
  },
};
