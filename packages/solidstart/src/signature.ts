// SolidStart 2 runs on h3 2: its API events and middleware events carry h3's event as
// `nativeEvent`, so verification is @signet/h3's, and this file only maps SolidStart's events
// onto it (and the message into `event.locals`).
import type { StandardSchemaV1, VerifiedMessage } from '@signet/core';
import {
  signature as h3Signature,
  withSignature as h3WithSignature,
  type MiddlewareOptions,
  type SignatureOptions,
} from '@signet/h3';
import type { APIEvent, FetchEvent } from '@solidjs/start/server';

// SolidStart's own h3 event type, not h3's: the package does not depend on h3 (SolidStart brings
// its own), so its published types must not name it.
type H3Event = APIEvent['nativeEvent'];

declare global {
  namespace App {
    interface RequestEventLocals {
      /** The verified QStash message, set by `@signet/solidstart`. */
      signet?: VerifiedMessage<unknown>;
    }
  }
}

export type { MiddlewareOptions, SignatureOptions };

/**
 * Wraps a SolidStart API route handler so that it runs only for requests QStash signed. The
 * handler reads the body as usual (`await event.request.json()`), and finds the verified message
 * in `event.locals.signet` (or through `getMessage(event)`); any other request is answered with
 * the 401/413/422 problem+json response. A handler that throws, or answers non-2xx, releases the
 * replay mark so QStash's retry gets through. The `url` function and `onError` receive h3's
 * event (`event.nativeEvent`).
 *
 * @example
 * ```ts
 * // src/routes/api/order.ts
 * import { withSignature } from '@signet/solidstart';
 *
 * export const POST = withSignature(async (event) => {
 *   const order = await event.request.json();
 *   return Response.json({ received: event.locals.signet?.id });
 * });
 * ```
 */
export function withSignature<Result, Schema extends StandardSchemaV1 | undefined = undefined>(
  handler: (event: APIEvent) => Result | Promise<Result>,
  options: SignatureOptions<Schema> = {},
): (event: APIEvent) => Promise<Result | Response> {
  // Which API event an h3 event belongs to, for the length of its request.
  const events = new WeakMap<H3Event, APIEvent>();
  const signed = h3WithSignature((nativeEvent) => {
    const event = events.get(nativeEvent) as APIEvent;
    event.locals.signet = nativeEvent.context.signet;
    return handler(event);
  }, options);
  return (event) => {
    events.set(event.nativeEvent, event);
    return signed(event.nativeEvent);
  };
}

/** The official SDK's config for `verifySignatureSolidjs`. */
export interface OfficialConfig {
  currentSigningKey?: string;
  nextSigningKey?: string;
  clockTolerance?: number;
}

/**
 * A drop-in for `verifySignatureSolidjs` from `@upstash/qstash/solidjs`: the same call, Signet's
 * checks (the URL is bound, problem+json instead of a 403 text, replay and schema options).
 */
export function verifySignatureSolidjs<Result>(
  handler: (event: APIEvent) => Result | Promise<Result>,
  config: OfficialConfig & SignatureOptions = {},
): (event: APIEvent) => Promise<Result | Response> {
  return withSignature(handler, config);
}

type Next = () => unknown;

/**
 * Middleware for `src/middleware.ts` that lets only QStash through on the paths you name:
 *
 * ```ts
 * export default createMiddleware({ onRequest: [signature({ paths: ['/api/hooks'] })] });
 * ```
 *
 * or in h3's array form, `createMiddleware([signature({ paths: ['/api/hooks'] })])`, which also
 * settles the replay mark from the route's answer on every runtime. Every spelling of a path a
 * router could decode to a guarded prefix is verified. A verified request has its message in
 * `event.locals.signet`; any other is answered with the problem+json response.
 */
export function signature<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: MiddlewareOptions<Schema> = {},
) {
  const middleware = h3Signature(options);
  return async function signetMiddleware(
    event: FetchEvent | H3Event,
    next?: Next,
  ): Promise<unknown> {
    // `onRequest` hands over SolidStart's FetchEvent; the array form h3's own event and `next`.
    const nativeEvent = 'nativeEvent' in event ? event.nativeEvent : event;
    const result = await middleware(nativeEvent, next);
    if ('locals' in event && nativeEvent.context.signet) {
      event.locals.signet = nativeEvent.context.signet;
    }
    return result;
  };
}

/**
 * The verified message of a request, typed (say, with your schema's output). Throws when no
 * Signet wrapper or middleware verified this request, which is a routing mistake.
 */
export function getMessage<Data = unknown>(event: FetchEvent): VerifiedMessage<Data> {
  const message = event.locals.signet ?? event.nativeEvent.context.signet;
  if (!message) {
    throw new Error(
      '@signet/solidstart: no verified message on this request; is withSignature() or signature() in front of this route?',
    );
  }
  return message as VerifiedMessage<Data>;
}
