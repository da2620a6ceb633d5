// Base58 (no 0/O/I/l): the alphabet QStash uses for its ids and keys, easy to read and copy.
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A random base58 string; 28 characters carry about 164 bits. */
export function randomBase58(length = 28): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = '';
  // Bytes of 232 (= 4 × 58) and above are dropped, so every character is equally likely.
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const byte = bytes[i] as number;
    if (byte < 232) out += BASE58[byte % 58];
  }
  return out.length === length ? out : out + randomBase58(length - out.length);
}

/** A fresh signing key in QStash's format (`sig_` + 28 base58 characters). */
export function generateSigningKey(): string {
  return `sig_${randomBase58(28)}`;
}
