// What every benchmark in the repository shares, with no dependency but node:crypto: the 1 KiB
// signed JSON body, and the "floor": the fastest honest inline check, written by hand
// (KeyObjects made once, one-shot hashing, timingSafeEqual, one JSON.parse). It is what any
// verifier must at least do, so it shows how close Signet gets, apart from what it adds.
import { createHmac, createSecretKey, hash, timingSafeEqual } from 'node:crypto';

export const BENCH_BODY = JSON.stringify({
  event: 'order.placed',
  order: {
    id: 'ord_9f8a7b6c',
    customer: 'cus_12345',
    items: Array.from({ length: 6 }, (_, i) => ({
      sku: `SKU-${1000 + i}`,
      qty: i + 1,
      price: 1999 + i * 100,
      name: `Product number ${i}`,
    })),
  },
  meta: { source: 'checkout', note: 'x'.repeat(502) },
});

/** A check that throws unless `token` is a valid QStash token for `url` and `body`, signed with one of `signingKeys` (tried in order). */
export function floorVerifier(
  signingKeys: readonly string[],
): (token: string, body: string | Uint8Array, url: string) => void {
  const keys = signingKeys.map((key) => createSecretKey(Buffer.from(key)));
  return function floorVerify(token, body, url) {
    const d1 = token.indexOf('.');
    const d2 = token.indexOf('.', d1 + 1);
    const signature = Buffer.from(token.slice(d2 + 1), 'base64url');
    const input = token.slice(0, d2);
    let signed = false;
    for (const key of keys) {
      const mac = createHmac('sha256', key).update(input).digest();
      if (mac.length === signature.length && timingSafeEqual(mac, signature)) {
        signed = true;
        break;
      }
    }
    if (!signed) throw new Error('signature');
    const claims = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    if (
      claims.iss !== 'Upstash' ||
      !(claims.exp > now) ||
      (claims.nbf ?? 0) > now ||
      claims.sub !== url
    )
      throw new Error('claims');
    if (hash('sha256', body, 'base64url') !== String(claims.body).replace(/=+$/, ''))
      throw new Error('body');
  };
}
