import { type BodyBytes, type BodySource, readBody } from './body.ts';
import type { CryptoBackend } from './crypto/backend.ts';
import { importKeyPairs } from './crypto/key-pair.ts';
import { isVerificationError, type VerificationError } from './errors.ts';
import { type HeadersLike, headerReader } from './headers.ts';
import type { IncomingRequest, Outcome } from './incoming.ts';
import { VERIFIER_INTERNALS, type VerifierInternals } from './internals.ts';
import type { Maybe } from './maybe.ts';
import type { VerifiedMessage } from './message.ts';
import { resolveSettings, type VerifierOptions } from './options.ts';
import type { Pipeline } from './pipeline.ts';
import { problemResponse } from './problem.ts';
import { importSecrets } from './providers/verify.ts';
import { releaseMark } from './replay/marks.ts';
import type { InferData, StandardSchemaV1 } from './schema.ts';
import { SIGNATURE_HEADER, verifyIncoming } from './verify.ts';

export interface VerifyInput {
  /** The `Upstash-Signature` header (QStash). A provider reads its own headers from `headers`. */
  signature?: string | null | undefined;
  /** The raw body: string, bytes, a Web or Node stream, or null for none. */
  body?: BodySource;
  /** The URL the request arrived at. Required unless the verifier has `url: 'skip'` or a fixed URL. */
  url?: string | URL;
  /** The `Upstash-Region` header, for multi-region keys. */
  region?: string | null;
  /** Other request headers: for `message.id`, `retried` and `scheduleId`; a provider's signature headers. */
  headers?: HeadersLike;
}

export interface Verifier<Data = undefined, Req = Request> {
  /** Low level: verify a signature, body and URL you already have. Throws `VerificationError`. */
  verify(input: VerifyInput): Promise<VerifiedMessage<Data>>;
  /** Verify a Web `Request`. Reads its body; throws `VerificationError`. */
  verifyRequest(request: Request & Req): Promise<VerifiedMessage<Data>>;
  /** For adapters, through `@signet/core/adapter`. */
  readonly [VERIFIER_INTERNALS]: VerifierInternals<Data, Req>;
}

/** Always a promise, whether `fn` finished synchronously, threw, or returned one. */
function promised<T>(fn: () => Maybe<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** An in-memory body within the limit, or undefined (read it the normal way, errors included). */
function readInMemory(body: BodySource, limit: number): BodyBytes | undefined {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined;
  try {
    return readBody(body, limit) as BodyBytes;
  } catch {
    return undefined;
  }
}

/** The adapter contract filled in from `verify()`'s input. */
function directIncoming<Req>(input: VerifyInput): IncomingRequest<Req> {
  const headers = headerReader(input.headers);
  return {
    request: undefined as Req,
    header: (name) => {
      if (name === SIGNATURE_HEADER) return input.signature;
      if (name === 'upstash-region' && input.region !== undefined) return input.region;
      return headers(name);
    },
    url: () => {
      if (input.url === undefined) {
        throw new TypeError(
          "@signet/core: verify() needs the request's url (or create the verifier with url: 'skip' or a fixed URL)",
        );
      }
      return String(input.url);
    },
    body: () => input.body,
  };
}

function reportError<Req>(
  pipeline: Pipeline<unknown, unknown, Req>,
  error: VerificationError,
  request: Req,
): void {
  const { logger, onError } = pipeline.settings;
  // A 5xx is this server's problem (say, a body parser in front of Signet): say it loudly, once
  // per verifier and cause, where the developer looks, whether or not they set up onError.
  if (error.status >= 500 && !pipeline.reported.has(error.code)) {
    pipeline.reported.add(error.code);
    logger.error(`@signet: ${error.message}`);
  }
  if (!onError) return;
  try {
    onError(error, request);
  } catch (hookError) {
    logger.error('@signet/core: onError threw', hookError);
  }
}

/** Builds `createVerifier` on one crypto backend; the Node and Web entry points each call this once. */
export function defineCreateVerifier<Key>(backend: CryptoBackend<Key>) {
  return function createVerifier<
    Schema extends StandardSchemaV1 | undefined = undefined,
    Req = Request,
  >(options: VerifierOptions<Schema, Req> = {}): Verifier<InferData<Schema>, Req> {
    type Data = InferData<Schema>;
    const settings = resolveSettings<Data, Req>(
      options as VerifierOptions<StandardSchemaV1 | undefined, Req>,
    );
    const pipeline: Pipeline<Key, Data, Req> = {
      backend,
      settings,
      pairs: importKeyPairs(backend, settings.ring),
      secrets: settings.provider ? importSecrets(backend, settings.provider) : [],
      marks: new WeakMap(),
      reported: new Set(),
    };

    const internals: VerifierInternals<Data, Req> = {
      verifyIncoming: (incoming) => promised(() => verifyIncoming(pipeline, incoming, false)),
      async handle(incoming) {
        try {
          return { ok: true, message: await internals.verifyIncoming(incoming) };
        } catch (error) {
          if (!isVerificationError(error)) throw error;
          reportError(pipeline as Pipeline<unknown, unknown, Req>, error, incoming.request);
          return { ok: false, error, response: problemResponse(error, settings.problem) };
        }
      },
      async settle(message, status) {
        // One rule for every adapter: the handler succeeded when it answered 2xx.
        if (succeeded(status) || !settings.replay) return;
        const id = pipeline.marks.get(message);
        if (id === undefined) return;
        pipeline.marks.delete(message);
        await releaseMark(settings.replay, id, settings.logger);
      },
    };

    return {
      verify(input) {
        return promised(() =>
          verifyIncoming(
            pipeline,
            directIncoming<Req>(input),
            true,
            readInMemory(input.body, settings.limit),
          ),
        );
      },
      verifyRequest(request) {
        return internals.verifyIncoming({
          request,
          header: (name) => request.headers.get(name),
          url: () => request.url,
          body: () => request.body,
        });
      },
      [VERIFIER_INTERNALS]: internals,
    };
  };
}

/** The handler succeeded: it answered 2xx. A throw or an unfinished response is `undefined`. */
export function succeeded(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

export type { Outcome };
