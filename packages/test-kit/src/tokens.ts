// The one independent token maker: plain node:crypto HMAC in QStash's documented format, so a bug
// in Signet's own signer cannot hide the same bug in its verifier. Every part can be overridden,
// to make bad tokens on purpose.
import { createHash, createHmac, randomUUID } from 'node:crypto';

export interface TokenSpec {
  /** The token's `sub`. */
  url: string;
  /** The body whose hash goes into the `body` claim. Default empty. */
  body?: string | Uint8Array;
  /** Signing key. */
  key: string;
  /** Issue time, unix seconds. Default now. */
  iat?: number;
  /** The header's `alg` (the MAC uses the matching SHA). Default HS256. */
  alg?: string;
  /** A whole header instead of `{ alg, typ: 'JWT' }`. */
  header?: Record<string, unknown>;
  /** Claims to add or override. */
  claims?: Record<string, unknown>;
  /** Claims to remove from the defaults. */
  omit?: string[];
  /** HMAC hash for the signature; default from the header's alg. */
  hash?: 'sha256' | 'sha384' | 'sha512';
}

export function b64url(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url');
}

/** The `body` claim for a body: base64url SHA-256, `=`-padded as QStash writes it. */
export function bodyClaim(body: string | Uint8Array, padded = true): string {
  const hash = createHash('sha256').update(body).digest('base64url');
  return padded ? `${hash}=` : hash;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A token in QStash's documented format (iss, sub, iat, nbf, exp = iat + 300, jti, body). */
export function makeToken(spec: TokenSpec): string {
  const iat = spec.iat ?? nowSeconds();
  const header = spec.header ?? { alg: spec.alg ?? 'HS256', typ: 'JWT' };
  const claims: Record<string, unknown> = {
    iss: 'Upstash',
    sub: spec.url,
    iat,
    nbf: iat,
    exp: iat + 300,
    jti: `jwt_${randomUUID().replaceAll('-', '')}`,
    body: bodyClaim(spec.body ?? ''),
    ...spec.claims,
  };
  for (const name of spec.omit ?? []) delete claims[name];
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const alg = String(header.alg);
  const hash = spec.hash ?? (alg === 'HS384' ? 'sha384' : alg === 'HS512' ? 'sha512' : 'sha256');
  return `${input}.${createHmac(hash, spec.key).update(input).digest('base64url')}`;
}
