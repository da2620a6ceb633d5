// The seam between core and a signing scheme. A provider says which headers it reads, which
// bytes its MAC covers and how the header spells it, how far its timestamp may be from now, and
// what identifies the sender's message. Everything else (body limits, problem+json, error codes,
// replay, schema, settling, logging) is core's, the same for every provider.
import type { MacEncoding } from '../crypto/backend.ts';
import { utf8Encoder } from '../encoding.ts';
import { VerificationError } from '../errors.ts';
import type { HeaderReader } from '../headers.ts';

export type ProviderName = 'standard-webhooks' | 'github' | 'stripe';

/** What a provider read from a request's headers, before anything is verified. */
export interface SignedHeaders {
  /** The signatures the request carries, as the header spells them; one match is enough. */
  readonly signatures: readonly string[];
  /** What the MAC covers in front of the body (`<id>.<timestamp>.`, `<t>.`, or nothing). */
  readonly prefix: string;
  /** The signed timestamp in seconds, when the scheme signs one. */
  readonly timestamp: number | undefined;
  /** The sender's id for the message, when a header carries it. */
  readonly id: string | undefined;
  /** The event type, when a header carries it. */
  readonly event: string | undefined;
}

/** What the verified body says about itself (Stripe's event id and type). */
export interface BodyFacts {
  readonly id?: string | undefined;
  readonly event?: string | undefined;
}

/** Build one with `standardWebhooks()`, `github()` or `stripe()`. */
export interface Provider {
  readonly name: ProviderName;
  /** The lower-case signature header, as errors name it. */
  readonly header: string;
  /** Every secret that may have signed (rotation: old and new), as raw key bytes. */
  readonly secrets: readonly Uint8Array[];
  readonly encoding: MacEncoding;
  /**
   * Seconds the signed timestamp may be from now, either way; undefined when the scheme signs
   * none (GitHub).
   */
  readonly tolerance: number | undefined;
  /** How long the replay store remembers a delivery when the scheme signs no timestamp. */
  readonly replayWindow: number;
  /**
   * Reads the signature headers: undefined when the request carries no signature at all
   * (SIGNATURE_MISSING); throws SIGNATURE_MALFORMED when they cannot be what it signs.
   */
  read(header: HeaderReader): SignedHeaders | undefined;
  /** Facts from the verified body, for `message.id` and `message.event`. */
  describe?(text: string): BodyFacts;
}

/** A SIGNATURE_MALFORMED that names the provider's header, not QStash's. */
export function malformed(header: string, why: string): VerificationError {
  return new VerificationError('SIGNATURE_MALFORMED', {
    detail: `The ${header} header is not a well-formed signature.`,
    debugDetail: why,
  });
}

/** One secret or several (rotation), each non-empty: checked at start-up, never on a request. */
export function secretList(
  secret: string | readonly string[] | undefined,
  where: string,
): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : [...(secret ?? [])];
  if (list.length === 0 || list.some((value) => typeof value !== 'string' || value === '')) {
    throw new TypeError(
      `@signet/core: ${where} needs \`secret\`: a string, or a list for rotation`,
    );
  }
  return list;
}

/** Secrets used as they are written (GitHub's, Stripe's): their UTF-8 bytes are the key. */
export function utf8Secrets(
  secret: string | readonly string[] | undefined,
  where: string,
): readonly Uint8Array[] {
  return secretList(secret, where).map((value) => utf8Encoder.encode(value));
}

/** A number-of-seconds option (a tolerance, a replay window): whole seconds > 0. */
export function secondsOption(
  value: number | undefined,
  fallback: number,
  where: string,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`@signet/core: ${where} ${name} must be a whole number of seconds > 0`);
  }
  return value;
}

/** A JSON body's string field, or undefined (the body need not be JSON for the MAC to hold). */
export function jsonFacts(text: string, idField: string, eventField: string): BodyFacts {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown> | null;
    const id = parsed?.[idField];
    const event = parsed?.[eventField];
    return {
      id: typeof id === 'string' ? id : undefined,
      event: typeof event === 'string' ? event : undefined,
    };
  } catch {
    return {};
  }
}

/** A signed timestamp in whole seconds, spelled one way only (no sign, no leading zero). */
export function timestampOf(value: string | null | undefined, header: string): number {
  if (!value || !/^(0|[1-9][0-9]{0,14})$/.test(value)) {
    throw malformed(header, `The timestamp ${JSON.stringify(value ?? '')} is not whole seconds.`);
  }
  return Number(value);
}
