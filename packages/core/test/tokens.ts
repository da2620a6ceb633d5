// Core's defaults over the repository's one independent token maker (@signet/test-kit).
import { type TokenSpec as AnyTokenSpec, makeToken as makeAnyToken } from '@signet/test-kit';

export { b64url, bodyClaim, nowSeconds } from '@signet/test-kit';

export const KEYS = {
  currentSigningKey: 'sig_3nbXyzJmTmh1s4T3Cw7GmTDmHrvm',
  nextSigningKey: 'sig_6VSwPaXoLqs7RAMnHZKqTdkRJx2C',
} as const;
export const OTHER_KEY = 'sig_5Un6u3ijCAkkJmDFVEfDuJbEDVmj';

export const URL_ = 'https://app.example.com/api/hooks/order?tenant=42';
export const BODY = JSON.stringify({ orderId: 'ord_123', total: 4200, note: 'Grüße 👋' });

export type TokenSpec = Partial<AnyTokenSpec>;

/** A token for `URL_` and `BODY` signed with the current key, unless the spec says otherwise. */
export function makeToken(spec: TokenSpec = {}): string {
  return makeAnyToken({ url: URL_, body: BODY, key: KEYS.currentSigningKey, ...spec });
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
}
