// An independent token maker for tests: plain node:crypto HMAC, so a bug in Signet's own signer
// cannot hide the same bug in its verifier.
import { createHash, createHmac } from 'node:crypto';

export const KEYS = {
  currentSigningKey: 'sig_3nbXyzJmTmh1s4T3Cw7GmTDmHrvm',
  nextSigningKey: 'sig_6VSwPaXoLqs7RAMnHZKqTdkRJx2C',
} as const;
export const OTHER_KEY = 'sig_5Un6u3ijCAkkJmDFVEfDuJbEDVmj';

export const URL_ = 'https://app.example.com/api/hooks/order?tenant=42';
export const BODY = JSON.stringify({ orderId: 'ord_123', total: 4200, note: 'Grüße 👋' });

export function b64url(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url');
}

export function bodyClaim(body: string | Uint8Array, padded = true): string {
  const hash = createHash('sha256').update(body).digest('base64url');
  return padded ? `${hash}=` : hash;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export interface TokenSpec {
  key?: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Claims to remove from the defaults. */
  omit?: string[];
  url?: string;
  body?: string | Uint8Array;
  iat?: number;
  /** HMAC hash for the signature; default from header alg. */
  hash?: 'sha256' | 'sha384' | 'sha512';
}

/** A token in QStash's documented format, with any part overridable. */
export function makeToken(spec: TokenSpec = {}): string {
  const iat = spec.iat ?? nowSeconds();
  const header = spec.header ?? { alg: 'HS256', typ: 'JWT' };
  const claims: Record<string, unknown> = {
    iss: 'Upstash',
    sub: spec.url ?? URL_,
    exp: iat + 300,
    nbf: iat,
    iat,
    jti: `jwt_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
    body: bodyClaim(spec.body ?? BODY),
    ...spec.claims,
  };
  for (const name of spec.omit ?? []) delete claims[name];
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const alg = String(header.alg);
  const hash = spec.hash ?? (alg === 'HS384' ? 'sha384' : alg === 'HS512' ? 'sha512' : 'sha256');
  const mac = createHmac(hash, spec.key ?? KEYS.currentSigningKey)
    .update(input)
    .digest('base64url');
  return `${input}.${mac}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
}
