import type { VerificationError } from './errors.ts';
import type { Env } from './keys.ts';
import type { ReplayStore } from './replay/store.ts';
import type { StandardSchemaV1 } from './schema.ts';
import type { UrlOption } from './url.ts';

/**
 * Options for `createVerifier`, and for every adapter (`signature()`, `verifySignature()`, …).
 * `Req` is the request type the `url` function and `onError` receive: a Web `Request` in core,
 * the framework's own request in each adapter.
 */
export interface VerifierOptions<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Req = Request,
> {
  /** Default: `QSTASH_CURRENT_SIGNING_KEY`. Give both keys or neither. */
  currentSigningKey?: string;
  /** Default: `QSTASH_NEXT_SIGNING_KEY`. */
  nextSigningKey?: string;
  /** Seconds of leeway on the token's exp and nbf, for skewed clocks. Default 0. */
  clockTolerance?: number;
  /** Which URL the token must have been issued for. Default `'request'`. */
  url?: UrlOption<Req>;
  /** Rebuild the public URL from `X-Forwarded-Proto`/`X-Forwarded-Host`. Default false. */
  trustProxy?: boolean;
  /** Largest body accepted, in bytes; reading stops as soon as it is passed. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Reject a token seen before (until it expires). `memoryReplayStore()` or `redisReplayStore(client)`. */
  replay?: ReplayStore;
  /** A Standard Schema (zod, valibot, arktype, …) for the JSON body; its output is `message.data`. */
  schema?: Schema;
  /** Answer a schema failure with 489 + `Upstash-NonRetryable-Error` so QStash does not retry it. */
  nonRetryable?: boolean;
  /** Put the reason (URLs, claim values) into problem responses. Never in production. */
  debug?: boolean;
  /** Called once per rejected request, for logging. Errors it throws are logged, not raised. */
  onError?: (error: VerificationError, request: Req) => void;
  /**
   * Use the official SDK's public development keys (what `signet dev` signs with) when no keys
   * are configured. Default: on when `QSTASH_DEV` is `1`/`true`. Never honoured in production.
   */
  devMode?: boolean;
  /** Where to read `QSTASH_*` variables. Default `process.env` when there is one. */
  env?: Env;
  /** Clock in milliseconds. For tests; default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
