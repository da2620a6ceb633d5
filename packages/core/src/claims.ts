import { VerificationError } from './errors.ts';
import type { QStashClaims } from './message.ts';
import { decodeJsonObject, decodeStrict, malformed, type SegmentDecoder } from './token.ts';
import { sameAfterNormalisation } from './url.ts';

export interface ClaimCheck {
  /** Unix seconds. */
  now: number;
  /** Seconds of leeway on exp and nbf. */
  tolerance: number;
  /** The URL `sub` must name (any of them, for a list), or undefined to skip the check. */
  expectedUrl: string | readonly string[] | undefined;
  /** Respells `sub` the way the framework spells request URLs (see IncomingRequest.claimUrl). */
  claimUrl?: ((claimed: string) => string) | undefined;
}

export interface CheckedClaims {
  claims: QStashClaims;
  /** The expected URL the token named, or undefined when URLs are not checked. */
  url: string | undefined;
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
): CheckedClaims {
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
  const checked = claims as unknown as QStashClaims;
  if (check.expectedUrl === undefined) return { claims: checked, url: undefined };
  const url = matchingUrl(claims.sub, check);
  if (url === undefined) throw urlMismatch(claims.sub, check.expectedUrl);
  return { claims: checked, url };
}

/** The expected URL `sub` names, compared exactly (as the official Receiver does), or undefined. */
function matchingUrl(sub: unknown, check: ClaimCheck): string | undefined {
  if (typeof sub !== 'string') return undefined;
  const expected = check.expectedUrl as string | readonly string[];
  const candidates = typeof expected === 'string' ? [expected] : expected;
  if (candidates.includes(sub)) return sub;
  if (!check.claimUrl) return undefined;
  let spelled: string;
  try {
    spelled = check.claimUrl(sub);
  } catch {
    return undefined;
  }
  return candidates.find((candidate) => candidate === spelled);
}

function urlMismatch(sub: unknown, expected: string | readonly string[]): VerificationError {
  const list = typeof expected === 'string' ? [expected] : expected;
  const hint =
    typeof sub === 'string' && list.some((url) => sameAfterNormalisation(sub, url))
      ? ' They differ only in spelling (case, default port or trailing slash of the host): publish to the URL exactly as the request arrives, or set the `url` option.'
      : '';
  const went = list.length === 1 ? JSON.stringify(list[0]) : `one of ${JSON.stringify(list)}`;
  return new VerificationError('URL_MISMATCH', {
    debugDetail: `The token is for ${JSON.stringify(sub ?? null)}, the request went to ${went}.${hint}`,
  });
}
