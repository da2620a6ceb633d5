/**
 * Every way a request can fail verification, with the HTTP status an adapter answers.
 * Codes are stable: match on `error.code`, never on the message.
 */
export const errorStatuses = {
  SIGNATURE_MISSING: 401,
  SIGNATURE_MALFORMED: 401,
  ALGORITHM_REJECTED: 401,
  SIGNATURE_INVALID: 401,
  ISSUER_MISMATCH: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  URL_MISMATCH: 401,
  BODY_MISMATCH: 401,
  REPLAYED: 401,
  BODY_TOO_LARGE: 413,
  BODY_INVALID: 422,
  // Not in the signature's control, so not a 401: the sender should simply try again.
  BODY_UNREADABLE: 400,
  REPLAY_STORE_UNAVAILABLE: 503,
  // A server misconfiguration: a body parser ran first, so the exact signed bytes are gone.
  BODY_ALREADY_PARSED: 500,
} as const;

export type VerificationErrorCode = keyof typeof errorStatuses;
export type VerificationErrorStatus = (typeof errorStatuses)[VerificationErrorCode];

const titles: Record<VerificationErrorCode, string> = {
  SIGNATURE_MISSING: 'Signature missing',
  SIGNATURE_MALFORMED: 'Signature malformed',
  ALGORITHM_REJECTED: 'Signature algorithm rejected',
  SIGNATURE_INVALID: 'Signature invalid',
  ISSUER_MISMATCH: 'Token issuer mismatch',
  TOKEN_EXPIRED: 'Token expired',
  TOKEN_NOT_YET_VALID: 'Token not yet valid',
  URL_MISMATCH: 'Token issued for another URL',
  BODY_MISMATCH: 'Body does not match the signature',
  REPLAYED: 'Token already used',
  BODY_TOO_LARGE: 'Body too large',
  BODY_INVALID: 'Body rejected by the schema',
  BODY_UNREADABLE: 'Body could not be read',
  REPLAY_STORE_UNAVAILABLE: 'Replay store unavailable',
  BODY_ALREADY_PARSED: 'Body parsed before verification',
};

/** What a caller may learn about a failure without `debug`: nothing secret, no expected URL. */
const publicDetails: Record<VerificationErrorCode, string> = {
  SIGNATURE_MISSING: 'The request has no Upstash-Signature header.',
  SIGNATURE_MALFORMED: 'The Upstash-Signature header is not a well-formed token.',
  ALGORITHM_REJECTED: 'Only HS256 tokens are accepted.',
  SIGNATURE_INVALID: 'The token is not signed by a known signing key.',
  ISSUER_MISMATCH: 'The token was not issued by Upstash.',
  TOKEN_EXPIRED: 'The token has expired.',
  TOKEN_NOT_YET_VALID: 'The token is not valid yet.',
  URL_MISMATCH: 'The token was issued for a different URL.',
  BODY_MISMATCH: 'The body differs from the one that was signed.',
  REPLAYED: 'This token has already been used.',
  BODY_TOO_LARGE: 'The body exceeds the size limit.',
  BODY_INVALID: 'The body does not match the expected schema.',
  BODY_UNREADABLE: 'The request body could not be read.',
  REPLAY_STORE_UNAVAILABLE: 'The replay store could not be reached; try again.',
  BODY_ALREADY_PARSED:
    'The request body was parsed before the signature check, so the signed bytes are gone.',
};

export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

export interface VerificationErrorOptions {
  /** Replaces the standard public detail (say, with how to fix a misconfiguration). */
  detail?: string;
  /** Extra detail for logs and `debug` problem bodies. May name URLs; never holds key material. */
  debugDetail?: string;
  cause?: unknown;
  /** Schema issues, for BODY_INVALID. */
  issues?: readonly SchemaIssue[];
}

export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  readonly code: VerificationErrorCode;
  readonly status: VerificationErrorStatus;
  readonly title: string;
  /** Safe to show to the caller. */
  readonly detail: string;
  /** Safe for your logs; shown to callers only with `debug: true`. */
  readonly debugDetail: string | undefined;
  readonly issues: readonly SchemaIssue[] | undefined;

  constructor(code: VerificationErrorCode, options: VerificationErrorOptions = {}) {
    const detail = options.detail ?? publicDetails[code];
    super(
      options.debugDetail ? `${detail} ${options.debugDetail}` : detail,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.status = errorStatuses[code];
    this.title = titles[code];
    this.detail = detail;
    this.debugDetail = options.debugDetail;
    this.issues = options.issues;
  }
}

/**
 * True for a `VerificationError`, also one from another copy of this package (two versions
 * installed side by side), which `instanceof` would miss.
 */
export function isVerificationError(value: unknown): value is VerificationError {
  if (value instanceof VerificationError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { name, code } = value as { name?: unknown; code?: unknown };
  return (
    name === 'VerificationError' && typeof code === 'string' && Object.hasOwn(errorStatuses, code)
  );
}
