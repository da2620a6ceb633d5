import {
  type BodySource,
  createVerifier,
  type InferData,
  type StandardSchemaV1,
  toResponse,
  VerificationError,
  type VerifiedMessage,
  type Verifier,
  type VerifierOptions,
} from '@signet/core';
import { handle, settle, verifierPerBindings } from '@signet/core/adapter';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The core's options; `url` functions and `onError` receive Hono's `Context`. */
export type SignatureOptions<Schema extends StandardSchemaV1 | undefined = undefined> =
  VerifierOptions<Schema, Context>;

/** Hono `Env` that types `c.get('signet')`. */
export type SignetEnv<Data = undefined> = { Variables: { signet: VerifiedMessage<Data> } };

const PARSED_FIX =
  'An earlier middleware read the body as JSON or form data, so the signed bytes are gone. Put signature() before it.';

/** `@hono/node-server` hands over Node's request as `c.env.incoming`. */
interface NodeIncoming {
  on: (...args: never[]) => unknown;
  read: (...args: never[]) => unknown;
  readableDidRead?: boolean;
}

function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: Partial<NodeIncoming> } | undefined)?.incoming;
  return typeof incoming?.on === 'function' &&
    typeof incoming.read === 'function' &&
    !incoming.readableDidRead
    ? (incoming as NodeIncoming)
    : undefined;
}

/** What `c.req.bodyCache` really holds: Hono types it as `Partial<Body>` but stores promises. */
interface BodyCache {
  arrayBuffer?: Promise<ArrayBuffer>;
  blob?: Promise<Blob>;
  text?: Promise<string>;
  json?: Promise<unknown>;
  formData?: Promise<FormData>;
}

const bodyCache = (c: Context) => c.req.bodyCache as unknown as BodyCache;

function bodyOf(c: Context): BodySource | Promise<BodySource> {
  const cache = bodyCache(c);
  // Another middleware already read it through c.req: verify exactly those bytes.
  if (cache.arrayBuffer) return cache.arrayBuffer.then((buffer) => new Uint8Array(buffer));
  if (cache.blob) return cache.blob.then(async (blob) => new Uint8Array(await blob.arrayBuffer()));
  if (cache.text) return cache.text;
  if (cache.json || cache.formData)
    throw new VerificationError('BODY_ALREADY_PARSED', { detail: PARSED_FIX });
  // On @hono/node-server, reading Node's request directly skips building a Web stream for it
  // (Readable.toWeb), which measured at ~40 µs a request, most of what verification cost.
  return (nodeIncoming(c) as BodySource | undefined) ?? c.req.raw.body;
}

/**
 * Serves c.req.text()/json()/arrayBuffer()/blob()/formData() once the stream is spent. Lazy
 * getters on the prototype: Hono converts between cache entries by building a whole `Response`
 * (~30 µs), a handler that never reads the body should not pay for decoding it, and defining
 * properties per request measured at ~3 µs. Every kind has its own entry: Hono before 4.7 looks
 * for another kind to convert from with `Object.keys`, which does not see prototype getters.
 */
class SignedBodyCache {
  readonly #message: VerifiedMessage<unknown>;
  readonly #contentType: string | undefined;
  constructor(message: VerifiedMessage<unknown>, contentType: string | undefined) {
    this.#message = message;
    this.#contentType = contentType;
  }
  get arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(exactArrayBuffer(this.#message.body));
  }
  get text(): Promise<string> {
    return Promise.resolve(this.#message.text());
  }
  get json(): Promise<unknown> {
    return Promise.resolve().then(() => this.#message.json());
  }
  get blob(): Promise<Blob> {
    const type = this.#contentType ?? '';
    return Promise.resolve(new Blob([exactArrayBuffer(this.#message.body)], { type }));
  }
  get formData(): Promise<FormData> {
    const headers = this.#contentType ? { 'content-type': this.#contentType } : undefined;
    return new Response(exactArrayBuffer(this.#message.body), { headers }).formData();
  }
}
// Hono finds cached entries with `for … in`, which only sees enumerable properties.
for (const name of ['arrayBuffer', 'text', 'json', 'blob', 'formData'] as const) {
  Object.defineProperty(SignedBodyCache.prototype, name, { enumerable: true });
}

function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Verifies that requests come from QStash (the `Upstash-Signature` header) before your handler
 * runs. On success `c.get('signet')` is the verified message and `c.req.json()`, `text()` and
 * `arrayBuffer()` read the body as usual. On failure it throws an `HTTPException` carrying the
 * 401/413/422 problem+json response (the `VerificationError` is its `cause`), which Hono answers
 * with unless your `onError` reshapes it.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { signature, type SignetEnv } from '@signet/hono';
 *
 * const app = new Hono<SignetEnv>();
 * app.use('/hooks/*', signature());
 * app.post('/hooks/order', async (c) => {
 *   const order = await c.req.json();
 *   return c.json({ received: c.get('signet').id });
 * });
 * ```
 */
export function signature<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: SignatureOptions<Schema> = {},
): MiddlewareHandler<SignetEnv<InferData<Schema>>> {
  // On Workers the keys are bindings in c.env, known only once a request arrives.
  const verifierFor = verifierPerBindings(
    createVerifier as (
      options: SignatureOptions<StandardSchemaV1 | undefined>,
    ) => Verifier<InferData<Schema>, Context>,
    options as SignatureOptions<StandardSchemaV1 | undefined>,
  );
  return async function signetSignature(c, next) {
    const verifier = verifierFor(c.env);
    const outcome = await handle(verifier, {
      request: c,
      header: (name) => c.req.header(name),
      url: () => c.req.url,
      body: () => bodyOf(c),
    });
    if (!outcome.ok) {
      const { response, error } = outcome;
      throw new HTTPException(response.status as ContentfulStatusCode, {
        res: toResponse(response),
        cause: error,
      });
    }
    const { message } = outcome;
    // An earlier middleware may have cached the body already (see bodyOf); that cache stays.
    if (Object.keys(c.req.bodyCache).length === 0) {
      (c.req as { bodyCache: unknown }).bodyCache = new SignedBodyCache(
        message,
        c.req.header('content-type'),
      );
    }
    c.set('signet', message);
    await next();
    await settle(verifier, message, c.error === undefined ? c.res.status : undefined);
  };
}
