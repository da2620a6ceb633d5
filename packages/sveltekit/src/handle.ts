import { createVerifier, type StandardSchemaV1, type VerifierOptions } from '@signet/core';
import { respondVerified, webRequestIncoming } from '@signet/core/adapter';
import { type SignetEvent, setMessage } from './event.ts';
import { compilePaths, type PathMatcher } from './paths.ts';

export interface SignatureHandleOptions<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Event extends SignetEvent = SignetEvent,
> extends VerifierOptions<Schema, Event> {
  /** Which requests to verify; everything else passes through untouched. */
  paths: PathMatcher<Event>;
}

/** The shape of SvelteKit's `Handle` (resolve as a method, so Kit's own types fit). */
export interface HandleInput<Event extends SignetEvent> {
  event: Event;
  resolve(event: Event, options?: never): Response | Promise<Response>;
}

/**
 * A `handle` hook that lets only QStash-signed requests reach the matched routes. Matched
 * requests get `event.locals.signet` and a request whose body is still unread; failures are
 * answered with a 401/413/422 problem+json response; unmatched requests pass through with
 * nothing read. Composes with `sequence()`.
 *
 * @example
 * ```ts
 * // src/hooks.server.ts
 * import { signatureHandle } from '@signet/sveltekit';
 * export const handle = signatureHandle({ paths: ['/api/refresh'] });
 * ```
 */
export function signatureHandle<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Event extends SignetEvent = SignetEvent,
>(
  options: SignatureHandleOptions<Schema, Event>,
): (input: HandleInput<Event>) => Promise<Response> {
  const { paths, ...verifierOptions } = options;
  const matches = compilePaths(paths);
  const verifier = createVerifier<Schema, Event>(verifierOptions);
  return async function signetHandle({ event, resolve }) {
    if (!matches(event)) return resolve(event);
    return respondVerified(verifier, webRequestIncoming(event.request, event), (message) => {
      setMessage(event, message);
      return resolve(event);
    });
  };
}
