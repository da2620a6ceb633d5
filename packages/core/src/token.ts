import { base64UrlDecode, isBase64Url, utf8Decoder } from './encoding.ts';
import { VerificationError } from './errors.ts';

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

export function malformed(debugDetail: string): VerificationError {
  return new VerificationError('SIGNATURE_MALFORMED', { debugDetail });
}

export type SegmentDecoder = (segment: string) => string | undefined;

export const decodeStrict: SegmentDecoder = (segment) => {
  const bytes = base64UrlDecode(segment);
  return bytes && utf8Decoder.decode(bytes);
};

export function decodeJsonObject(
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

/** The `body` claim without `=` padding: QStash pads it, our hashes do not. */
export function unpadded(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 61 /* = */) end--;
  return end === value.length ? value : value.slice(0, end);
}
