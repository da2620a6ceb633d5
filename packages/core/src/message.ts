import type { BodyBytes } from './body.ts';
import { utf8Decoder, utf8Encoder } from './encoding.ts';

/** The claims QStash signs. Only `iss`, `exp`, `body` (and `sub` when URLs are checked) are required. */
export interface QStashClaims {
  iss: 'Upstash';
  /** The destination URL the token was issued for. */
  sub?: string;
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  /** base64url SHA-256 of the raw body. */
  body: string;
  [claim: string]: unknown;
}

/** Who signed: QStash, or a webhook provider given as `provider`. */
export type SignedBy = 'qstash' | 'standard-webhooks' | 'github' | 'stripe';

/**
 * A request that passed verification.
 *
 * `id`, `retried` and `scheduleId` come from the `Upstash-Message-Id`, `Upstash-Retried` and
 * `Upstash-Schedule-Id` headers, which are NOT covered by the signature: anyone who captured a
 * valid request could change them. For anything that must not be forged (idempotency under
 * attack), key on `claims.jti` or the body.
 */
export interface VerifiedMessage<Data = unknown> {
  /** Who signed it: `'qstash'`, or the `provider` the verifier was created with. */
  readonly provider: SignedBy;
  /**
   * The sender's message id: QStash's `Upstash-Message-Id`, Standard Webhooks' `webhook-id`
   * (signed), GitHub's `X-GitHub-Delivery` (not signed), Stripe's event id (from the signed body).
   */
  readonly id: string | undefined;
  /** The event type: Standard Webhooks' and Stripe's `type` (signed), GitHub's `X-GitHub-Event` (not signed). */
  readonly event: string | undefined;
  /** When the sender signed it, in seconds: QStash's `iat`, Standard Webhooks' and Stripe's timestamp. */
  readonly timestamp: number | undefined;
  readonly retried: number;
  readonly scheduleId: string | undefined;
  /** The `Upstash-Region` the message came through, when multi-region is in use. */
  readonly region: string | undefined;
  /** The URL the token was checked against; undefined with `url: 'skip'` and for providers (none signs a URL). */
  readonly url: string | undefined;
  /** QStash's token claims; undefined for a webhook provider (narrow on `provider === 'qstash'`). */
  readonly claims: Readonly<QStashClaims> | undefined;
  /** The raw body exactly as signed. */
  readonly body: Uint8Array;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON (throws a SyntaxError if it is not JSON). */
  json<T = unknown>(): T;
  /** The schema's output, when a `schema` was given. */
  readonly data: Data;
}

export interface MessageFields<Data> {
  provider?: SignedBy;
  /** The id and event type read from the body, on first use (Stripe's JSON is parsed only then). */
  facts?: (() => { id?: string | undefined; event?: string | undefined }) | undefined;
  event?: string | undefined;
  timestamp?: number | undefined;
  id: string | null | undefined;
  retried: string | null | undefined;
  scheduleId: string | null | undefined;
  region: string | null | undefined;
  url: string | undefined;
  claims: QStashClaims | undefined;
  body: BodyBytes;
  /** The body as text, when it was already decoded. */
  text?: string | undefined;
  data: Data;
}

class Message<Data> implements VerifiedMessage<Data> {
  readonly provider: SignedBy;
  #id: string | undefined;
  #event: string | undefined;
  #facts: MessageFields<Data>['facts'];
  readonly timestamp: number | undefined;
  readonly retried: number;
  readonly scheduleId: string | undefined;
  readonly region: string | undefined;
  readonly url: string | undefined;
  readonly claims: Readonly<QStashClaims> | undefined;
  readonly data: Data;
  #raw: BodyBytes;
  #bytes: Uint8Array | undefined;
  #text: string | undefined;

  constructor(fields: MessageFields<Data>) {
    this.provider = fields.provider ?? 'qstash';
    this.#id = fields.id || undefined;
    this.#event = fields.event;
    this.#facts = fields.facts;
    const iat = fields.claims?.iat;
    this.timestamp = fields.timestamp ?? (typeof iat === 'number' ? iat : undefined);
    const retried = Number(fields.retried);
    this.retried = Number.isSafeInteger(retried) && retried > 0 ? retried : 0;
    this.scheduleId = fields.scheduleId || undefined;
    this.region = fields.region || undefined;
    this.url = fields.url;
    this.claims = fields.claims;
    this.data = fields.data;
    this.#raw = fields.body;
    this.#text = fields.text;
  }

  get id(): string | undefined {
    this.#learn();
    return this.#id;
  }

  get event(): string | undefined {
    this.#learn();
    return this.#event;
  }

  /** Fills in what the headers did not say from the body, once. */
  #learn(): void {
    if (this.#facts === undefined) return;
    const facts = this.#facts();
    this.#facts = undefined;
    this.#id ??= facts.id;
    this.#event ??= facts.event;
  }

  get body(): Uint8Array {
    if (this.#bytes === undefined) {
      this.#bytes = typeof this.#raw === 'string' ? utf8Encoder.encode(this.#raw) : this.#raw;
    }
    return this.#bytes;
  }

  text(): string {
    if (this.#text === undefined) {
      this.#text = typeof this.#raw === 'string' ? this.#raw : utf8Decoder.decode(this.#raw);
    }
    return this.#text;
  }

  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }

  toJSON() {
    return {
      provider: this.provider,
      id: this.id,
      event: this.event,
      timestamp: this.timestamp,
      retried: this.retried,
      scheduleId: this.scheduleId,
      region: this.region,
      url: this.url,
      claims: this.claims,
      data: this.data,
    };
  }
}

export function createMessage<Data>(fields: MessageFields<Data>): VerifiedMessage<Data> {
  return new Message(fields);
}
