import { createVerifier, type StandardSchemaV1, type VerifierOptions } from '@signet/core';
import { respondVerified, webRequestIncoming } from '@signet/core/adapter';
import { type SignetEvent, setMessage } from './event.ts';

/**
 * Wraps one `+server.ts` request handler so that it only runs for QStash-signed requests, as
 * the official `verifySignatureSvelte` does (same name, same arguments), but bound to this URL
 * and answering failures with a 401/413/422 problem+json response (400 or 503 when the body or
 * the replay store cannot be read). The message is `event.locals.signet`.
 *
 * @example
 * ```ts
 * // src/routes/api/refresh/+server.ts
 * import { verifySignatureSvelte } from '@signet/sveltekit';
 * export const POST = verifySignatureSvelte(async ({ request, locals }) => {
 *   const { id } = await request.json();
 *   return new Response(null, { status: 204 });
 * });
 * ```
 */
export function verifySignatureSvelte<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Event extends SignetEvent = SignetEvent,
>(
  handler: (event: Event) => Response | Promise<Response>,
  options: VerifierOptions<Schema, Event> = {},
): (event: Event) => Promise<Response> {
  const verifier = createVerifier<Schema, Event>(options);
  return function signetEndpoint(event) {
    return respondVerified(verifier, webRequestIncoming(event.request, event), (message) => {
      setMessage(event, message);
      return handler(event);
    });
  };
}
