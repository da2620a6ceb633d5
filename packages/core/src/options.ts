import type { VerificationError } from './errors.ts';
import { type Env, type KeyRing, processEnv, resolveKeyRing } from './keys.ts';
import { consoleLogger, type Logger } from './logger.ts';
import type { ProblemOptions } from './problem.ts';
import type { Provider } from './providers/provider.ts';
import type { ReplayStore } from './replay/store.ts';
import type { StandardSchemaV1 } from './schema.ts';
import { type UrlOption, type UrlRule, urlRule } from './url.ts';

/**
 * Options for `createVerifier`, and for every adapter (`signature()`, `verifySignature()`, …).
 * `Req` is the request type the `url` function and `onError` receive: a Web `Request` in core,
 * the framework's own request in each adapter.
 */
export interface VerifierOptions<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Req = Request,
> {
  /**
   * Who signs the requests: QStash (the default, with the two signing keys below), or a webhook
   * provider: `standardWebhooks({ secret })`, `github({ secret })`, `stripe({ secret })`. Body
   * limits, replay, schema, problem+json and `onError` work the same for every provider.
   */
  provider?: Provider;
  /** Default: `QSTASH_CURRENT_SIGNING_KEY`. Give both keys or neither. */
  currentSigningKey?: string;
  /** Default: `QSTASH_NEXT_SIGNING_KEY`. */
  nextSigningKey?: string;
  /** Seconds of leeway on the token's exp and nbf, for skewed clocks. Default 0. */
  clockTolerance?: number;
  /** Which URL the token must have been issued for. Default `'request'`. */
  url?: UrlOption<Req>;
  /**
   * The public origin(s) of this app (`'https://app.example.com'`): the URL a token must name is
   * this origin plus the request's path and query, whatever `Host` or `X-Forwarded-*` say.
   * Default: `SIGNET_ORIGIN` (comma-separated for several), else the request's own host.
   */
  origin?: string | readonly string[];
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
  /** Where Signet's own warnings and errors go. Default `console`. */
  logger?: Logger;
  /**
   * Use the official SDK's public development keys (what `signet dev` signs with) when no keys
   * are configured. Default: on when `QSTASH_DEV` is `1`/`true`. Never honoured in production.
   */
  devMode?: boolean;
  /** Where to read `QSTASH_*` and `SIGNET_ORIGIN`. Default `process.env` when there is one. */
  env?: Env;
  /** Clock in milliseconds. For tests; default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Options checked and resolved once, at verifier creation: what every request then reads. */
export interface Settings<Data, Req> {
  /** Empty with a provider: QStash's keys are not used then. */
  readonly ring: KeyRing;
  readonly provider: Provider | undefined;
  readonly tolerance: number;
  readonly limit: number;
  readonly url: UrlRule<Req>;
  readonly replay: ReplayStore | undefined;
  readonly schema: StandardSchemaV1<unknown, Data> | undefined;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly problem: ProblemOptions;
  readonly onError: ((error: VerificationError, request: Req) => void) | undefined;
}

/**
 * Checks every option and resolves keys and the URL rule. A mistake (a missing key, a negative
 * limit, a URL that can never match) throws here, at start-up, never on a request.
 */
export function resolveSettings<Data, Req>(
  options: VerifierOptions<StandardSchemaV1 | undefined, Req>,
): Settings<Data, Req> {
  const { clockTolerance, maxBodyBytes, schema } = options;
  if (clockTolerance !== undefined && !(Number.isFinite(clockTolerance) && clockTolerance >= 0)) {
    throw new TypeError('@signet/core: clockTolerance must be a number of seconds >= 0');
  }
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new TypeError('@signet/core: maxBodyBytes must be a whole number of bytes >= 0');
  }
  if (schema !== undefined && typeof schema?.['~standard']?.validate !== 'function') {
    throw new TypeError(
      '@signet/core: schema must be a Standard Schema (zod, valibot, arktype, …)',
    );
  }
  const logger = options.logger ?? consoleLogger;
  if (typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
    throw new TypeError('@signet/core: logger must have warn() and error() methods');
  }
  const env = options.env ?? processEnv();
  const { provider } = options;
  if (provider !== undefined) checkProvider(options);
  return {
    ring: provider
      ? { fallback: undefined, regions: new Map(), source: 'options' }
      : resolveKeyRing(options, logger),
    provider,
    tolerance: clockTolerance ?? 0,
    limit: maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    url: urlRule(options, env),
    replay: options.replay,
    schema: schema as StandardSchemaV1<unknown, Data> | undefined,
    clock: options.now ?? Date.now,
    logger,
    problem: { debug: options.debug, nonRetryable: options.nonRetryable },
    onError: options.onError,
  };
}

/** A provider brings its own secret; QStash's options with it are a mistake worth saying. */
function checkProvider(options: VerifierOptions<StandardSchemaV1 | undefined, never>): void {
  const provider = options.provider as Partial<Provider> | undefined;
  if (typeof provider?.read !== 'function' || !Array.isArray(provider.secrets)) {
    throw new TypeError(
      '@signet/core: provider must come from standardWebhooks(), github() or stripe()',
    );
  }
  if (options.currentSigningKey !== undefined || options.nextSigningKey !== undefined) {
    throw new TypeError(
      `@signet/core: currentSigningKey/nextSigningKey are QStash's keys; with provider ${provider.name} give its secret to ${provider.name}() instead`,
    );
  }
}
