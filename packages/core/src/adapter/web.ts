import type { IncomingRequest } from '../incoming.ts';
import type { VerifiedMessage } from '../message.ts';
import { toResponse } from '../problem.ts';
import type { Verifier } from '../verifier.ts';
import { handle, runSettled } from './verifier.ts';

/**
 * The adapter contract filled in from a Web `Request` (Next's App Router, SvelteKit, …). The body
 * is read from a clone, so the framework can hand the original, body unread, to the handler.
 * `raw` is what the `url` function and `onError` receive: the framework's own event or request.
 */
export function webRequestIncoming<Req>(request: Request, raw: Req): IncomingRequest<Req> {
  return {
    request: raw,
    header: (name) => request.headers.get(name),
    url: () => request.url,
    body: () => (request.body ? request.clone().body : null),
  };
}

/**
 * The whole life of a request in a fetch-style framework: verify it, answer the problem response
 * on failure, otherwise run `handler` with the message and settle the replay mark from its
 * response (a throw or a non-2xx answer releases it, so QStash's retry gets through).
 */
export async function respondVerified<Data, Req>(
  verifier: Verifier<Data, Req>,
  incoming: IncomingRequest<Req>,
  handler: (message: VerifiedMessage<Data>) => Response | Promise<Response>,
): Promise<Response> {
  const outcome = await handle(verifier, incoming);
  if (!outcome.ok) return toResponse(outcome.response);
  const { message } = outcome;
  return runSettled(
    verifier,
    message,
    () => handler(message),
    (response) => response.status,
  );
}
