import {
  base64Encode,
  base64UrlDecode,
  base64UrlEncode,
  constantTimeEqual,
  hexEncode,
  utf8Decoder,
  utf8Encoder,
} from '../encoding.ts';
import type { CryptoBackend } from './backend.ts';
import { sha256 } from './sha256.ts';

/**
 * Up to this size the body is hashed in JS; above, by crypto.subtle, in parallel with the HMAC
 * on the thread pool. Measured end to end (verify ops/s by size and cut-off, bench/sizes.bench.ts
 * and the same sweep in Deno): JS wins at 256 B (+13 % Deno, +33 % Node), the two are even at
 * 512 B, and from 1 KiB subtle wins (+40 % Deno at 1 KiB); the old 64 KiB cut-off made the build
 * 0.3–0.6× the official Receiver between 4 and 64 KiB.
 */
export const JS_HASH_MAX_BYTES = 512;

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (!value) throw new Error('@signet/core: crypto.subtle is not available in this runtime');
  return value;
}

export const webCrypto: CryptoBackend<CryptoKey> = {
  name: 'web',
  synchronous: false,
  importKey: (secret) =>
    subtle().importKey('raw', utf8Encoder.encode(secret), HMAC, false, ['sign']),
  hmac: async (key, data) =>
    base64UrlEncode(new Uint8Array(await subtle().sign('HMAC', key, utf8Encoder.encode(data)))),
  sha256: (body) => {
    const bytes = typeof body === 'string' ? utf8Encoder.encode(body) : body;
    // Small bodies in JS, on the main thread, while the HMAC is on the thread pool (see
    // sha256.ts); large ones where native code is worth a thread-pool round trip.
    if (bytes.length <= JS_HASH_MAX_BYTES) return base64UrlEncode(sha256(bytes));
    return subtle()
      .digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
      .then((digest) => base64UrlEncode(new Uint8Array(digest)));
  },
  importRawKey: (secret) =>
    subtle().importKey('raw', secret as Uint8Array<ArrayBuffer>, HMAC, false, ['sign']),
  mac: async (key, prefix, body, encoding) => {
    const head = utf8Encoder.encode(prefix);
    const tail = typeof body === 'string' ? utf8Encoder.encode(body) : body;
    const data = new Uint8Array(head.length + tail.length);
    data.set(head);
    data.set(tail, head.length);
    const mac = new Uint8Array(await subtle().sign('HMAC', key, data));
    return encoding === 'hex' ? hexEncode(mac) : base64Encode(mac);
  },
  equal: constantTimeEqual,
  decodeText: (segment) => {
    const bytes = base64UrlDecode(segment);
    return bytes && utf8Decoder.decode(bytes);
  },
};
