import {
  createVerifier,
  type StandardSchemaV1,
  toResponse,
  type VerifiedMessage,
  type VerifierOptions,
} from '@signet/core';
import { handle, runSettled } from '@signet/core/adapter';
import type { H3Event } from 'h3';
import { type AnyEvent, admit, answeredStatus, incomingOf } from './event.ts';

declare module 'h3' {
  interface H3EventContext {
    /** The verified QStash message, set by `@signet/h3` on the requests it verified. */
    signet?: VerifiedMessage<unknown>;
  }
}

/** The core's options; `url` functions and `onError` receive the H3 event. */
export type SignatureOptions<Schema extends StandardSchemaV1 | undefined = undefined> =
  VerifierOptions<Schema, H3Event>;

/** An event handler as h3 1 and 2 both take it (h3 1 also wants its `__is_handler__` mark). */
export type SignedHandler<Result> = ((event: H3Event) => Promise<Result | Response>) & {
  __is_handler__: true;
};

/**
 * Marks a plain function as an event handler, as h3 1's `defineEventHandler` does (without the
 * mark it still runs, with a deprecation warning); h3 2 takes plain functions.
 */
export function asHandler<Fn extends (...args: never[]) => unknown>(
  fn: Fn,
): Fn & { __is_handler__: true } {
  return Object.assign(fn, { __is_handler__: true as const });
}

/**
 * Wraps an H3 event handler (a Nuxt or Nitro server route) so that it runs only for requests
 * QStash signed. The handler finds the verified message in `event.context.signet` and reads the
 * body as usual (`readBody`, `readRawBody`, `event.req.json()`); any other request is answered
 * with the 401/413/422 problem+json response. A handler that throws, or answers non-2xx,
 * releases the replay mark so QStash's retry gets through.
 *
 * @example
 * ```ts
 * // server/api/hooks/order.post.ts
 * import { withSignature } from '@signet/h3';
 *
 * export default withSignature(async (event) => {
 *   const order = await readBody(event);
 *   return { received: event.context.signet?.id };
 * });
 * ```
 */
export function withSignature<Result, Schema extends StandardSchemaV1 | undefined = undefined>(
  handler: (event: H3Event) => Result | Promise<Result>,
  options: SignatureOptions<Schema> = {},
): SignedHandler<Result> {
  const verifier = createVerifier<Schema, H3Event>(options);
  return asHandler(async (event: H3Event): Promise<Result | Response> => {
    const any = event as unknown as AnyEvent;
    const outcome = await handle(verifier, incomingOf(event as H3Event & AnyEvent));
    if (!outcome.ok) return toResponse(outcome.response);
    admit(any, outcome.message as VerifiedMessage<unknown>);
    return runSettled(
      verifier,
      outcome.message,
      () => handler(event),
      (result) => answeredStatus(any, result),
    );
  });
}

/** The official SDK's config for `verifySignatureH3` and `verifySignatureNuxt`. */
export interface OfficialConfig {
  currentSigningKey?: string;
  nextSigningKey?: string;
  clockTolerance?: number;
}

/**
 * A drop-in for `verifySignatureH3` from `@upstash/qstash/h3`: the same call, Signet's checks
 * (the URL is bound, problem+json instead of `{ status: 403 }` with a 200, the raw bytes rather
 * than a re-serialisation). Any of Signet's options may be added to the config.
 */
export function verifySignatureH3<Result>(
  handler: (event: H3Event) => Result | Promise<Result>,
  config: OfficialConfig & SignatureOptions = {},
): SignedHandler<Result> {
  return withSignature(handler, config);
}

/** A drop-in for `verifySignatureNuxt` from `@upstash/qstash/nuxt`; see `verifySignatureH3`. */
export const verifySignatureNuxt = verifySignatureH3;

/**
 * The verified message of a request, typed (say, with your schema's output). Throws when no
 * Signet handler or middleware verified this request, which is a routing mistake.
 */
export function getMessage<Data = unknown>(event: H3Event): VerifiedMessage<Data> {
  const message = event.context.signet;
  if (!message) {
    throw new Error(
      '@signet/h3: no verified message on this request; is withSignature() or signature() in front of this handler?',
    );
  }
  return message as VerifiedMessage<Data>;
}
