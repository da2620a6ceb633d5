import { base64UrlDecode, isBase64Url, utf8Decoder } from './encoding.ts';
import { VerificationError } from './errors.ts';
import type { QStashClaims } from './message.ts';
import { sameAfterNormalisation } from './url.ts';

/** Longer headers are refused before any parsing: QStash tokens are ~400 bytes. */
export const MAX_TOKEN_LENGTH = 8192;

/** base64url of `{"alg":"HS256","typ":"JWT"}`, the header QStash (and jose) write. */
export const STANDARD_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

/** An HS256 signature is 32 bytes: 43 base64url characters. */
const SIGNATURE_LENGTH = 43;

export interface TokenParts {
  /** `header.payload`, the bytes the MAC covers. */
  signingInput: string;
  payload: string;
  signature: string;
}

function malformed(debugDetail: string): VerificationError {
  return new VerificationError('SIGNATURE_MALFORMED', { debugDetail });
}

export type SegmentDecoder = (segment: string) => string | undefined;

const decodeStrict: SegmentDecoder = (segment) => {
  const bytes = base64UrlDecode(segment);
  return bytes && utf8Decoder.decode(bytes);
};

function decodeJsonObject(
  segment: string,
  what: string,
  decode: SegmentDecoder,
): Record<string, unknown> {
  const text = decode(segment);
  if (text === undefined) throw malformed(`The ${what} is not canonical base64url.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(`The ${what} is not JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The ${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function checkHeader(segment: string): void {
  const header = decodeJsonObject(segment, 'token header', decodeStrict);
  if (typeof header.alg !== 'string') throw malformed('The token header has no "alg".');
  if (header.alg !== 'HS256') {
    throw new VerificationError('ALGORITHM_REJECTED', {
      debugDetail: `The token uses ${JSON.stringify(header.alg).slice(0, 20)}.`,
    });
  }
  // A critical extension we do not implement must make the token invalid (RFC 7515 §4.1.11).
  if ('crit' in header) throw malformed('The token header declares unsupported "crit" extensions.');
}

/**
 * Splits a compact JWS and checks everything that can be checked without a key: size, shape,
 * header (HS256 only), and that the signature is canonical base64url of the right length.
 */
export function parseToken(token: string): TokenParts {
  if (token.length > MAX_TOKEN_LENGTH) {
    throw malformed(`The token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  }
  const d1 = token.indexOf('.');
  const d2 = d1 === -1 ? -1 : token.indexOf('.', d1 + 1);
  if (d1 <= 0 || d2 <= d1 + 1 || token.indexOf('.', d2 + 1) !== -1) {
    throw malformed('A token has three parts separated by dots.');
  }
  const header = token.slice(0, d1);
  // Before the signature's shape, so that an unsigned `alg: none` token is named for what it is.
  if (header !== STANDARD_HEADER) checkHeader(header);
  const signature = token.slice(d2 + 1);
  if (!isBase64Url(signature)) throw malformed('The token signature is missing or not base64url.');
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new VerificationError('SIGNATURE_INVALID', {
      debugDetail: 'The signature has the wrong length for HS256.',
    });
  }
  return { signingInput: token.slice(0, d2), payload: token.slice(d1 + 1, d2), signature };
}

export interface ClaimCheck {
  /** Unix seconds. */
  now: number;
  /** Seconds of leeway on exp and nbf. */
  tolerance: number;
  /** The URL `sub` must name, or undefined to skip the check. */
  expectedUrl: string | undefined;
  /** Respells `sub` the way the framework spells request URLs (see IncomingRequest.claimUrl). */
  claimUrl?: ((claimed: string) => string) | undefined;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Decodes the payload of a token whose MAC verified and checks its claims. The time checks
 * match jose's (and so the official Receiver's) to the second: exp fails when
 * `exp <= now - tolerance`, nbf when `nbf > now + tolerance`.
 */
export function checkClaims(
  payload: string,
  check: ClaimCheck,
  decode: SegmentDecoder = decodeStrict,
): QStashClaims {
  const claims = decodeJsonObject(payload, 'token payload', decode);
  if (claims.iss !== 'Upstash') {
    throw new VerificationError('ISSUER_MISMATCH', {
      debugDetail: `The token's iss is ${JSON.stringify(claims.iss ?? null).slice(0, 40)}.`,
    });
  }
  if (claims.iat !== undefined && !isNumber(claims.iat))
    throw malformed('The "iat" claim is not a number.');
  if (claims.nbf !== undefined && !isNumber(claims.nbf))
    throw malformed('The "nbf" claim is not a number.');
  if (!isNumber(claims.exp))
    throw malformed('The token has no numeric "exp" claim; Signet requires one.');
  if (typeof claims.body !== 'string')
    throw malformed('The token has no "body" claim; Signet requires one.');
  if (claims.nbf !== undefined && claims.nbf > check.now + check.tolerance) {
    throw new VerificationError('TOKEN_NOT_YET_VALID', {
      debugDetail: `nbf ${claims.nbf} is after now ${check.now} + ${check.tolerance} s tolerance.`,
    });
  }
  if (claims.exp <= check.now - check.tolerance) {
    throw new VerificationError('TOKEN_EXPIRED', {
      debugDetail: `exp ${claims.exp} is not after now ${check.now} - ${check.tolerance} s tolerance.`,
    });
  }
  // Exact comparison, as the official Receiver does when it is given a URL.
  if (check.expectedUrl !== undefined && !sameUrl(claims.sub, check)) {
    const sub = claims.sub;
    const hint =
      typeof sub === 'string' && sameAfterNormalisation(sub, check.expectedUrl)
        ? ' They differ only in spelling (case, default port or trailing slash of the host): publish to the URL exactly as the request arrives, or set the `url` option.'
        : '';
    throw new VerificationError('URL_MISMATCH', {
      debugDetail: `The token is for ${JSON.stringify(sub ?? null)}, the request went to ${JSON.stringify(check.expectedUrl)}.${hint}`,
    });
  }
  return claims as unknown as QStashClaims;
}

function sameUrl(sub: unknown, check: ClaimCheck): boolean {
  if (typeof sub !== 'string') return false;
  if (sub === check.expectedUrl) return true;
  if (!check.claimUrl) return false;
  try {
    return check.claimUrl(sub) === check.expectedUrl;
  } catch {
    return false;
  }
}

/** The `body` claim without `=` padding: QStash pads it, our hashes do not. */
export function unpadded(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 61 /* = */) end--;
  return end === value.length ? value : value.slice(0, end);
}
