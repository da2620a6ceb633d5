// Base64url and UTF-8 helpers on Web APIs only, so the default build runs on edge runtimes and
// workers, where `Buffer` does not exist. The Node build uses Buffer where it is faster.

export const utf8Encoder = new TextEncoder();
// `fatal: false`: a body that is not valid UTF-8 still verifies (we hash bytes, not text);
// only `text()` on such a body shows replacement characters.
export const utf8Decoder = new TextDecoder();

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Unpadded base64url of `bytes`. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt(n >> 18) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out +=
      ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
  }
  return out;
}

/**
 * Strict unpadded base64url decoding: only the URL-safe alphabet, no padding, no white space,
 * and unused trailing bits must be zero (so every byte string has exactly one encoding).
 * Returns undefined for anything else.
 */
export function base64UrlDecode(input: string): Uint8Array | undefined {
  const length = input.length;
  if (length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < length; i++) {
    const code = input.charCodeAt(i);
    const value = code < 128 ? (LOOKUP[code] as number) : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/**
 * True when `input` is the one canonical unpadded base64url spelling of some bytes: only the
 * URL-safe alphabet, a possible length, and zero bits where the last character has unused ones.
 */
export function isCanonicalBase64Url(input: string): boolean {
  if (input.length === 0) return true;
  const rest = input.length % 4;
  if (rest === 1 || !isBase64Url(input)) return false;
  if (rest === 0) return true;
  const last = LOOKUP[input.charCodeAt(input.length - 1)] as number;
  return (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

/** True when `input` is non-empty and uses only the base64url alphabet (no padding). */
export function isBase64Url(input: string): boolean {
  if (input.length === 0) return false;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code >= 128 || (LOOKUP[code] as number) < 0) return false;
  }
  return true;
}

/** Standard base64 with padding, as Standard Webhooks spells a signature. */
export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

/** Standard base64 (padding optional) to bytes, or undefined when it is not base64. */
export function base64Decode(input: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input) || input.replace(/=+$/, '').length % 4 === 1) {
    return undefined;
  }
  try {
    const binary = atob(input);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lower-case hex, as GitHub and Stripe spell a signature. */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number];
  return out;
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** `chunks` joined; `size` is their total length. A single chunk comes back as it is. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function toBytes(input: string | Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof input === 'string') return utf8Encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input))
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input);
}
