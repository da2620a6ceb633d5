import type { IncomingRequest, Outcome } from '../incoming.ts';
import { VERIFIER_INTERNALS, type VerifierInternals } from '../internals.ts';
import type { VerifiedMessage } from '../message.ts';
import type { Verifier } from '../verifier.ts';

function internals<Data, Req>(verifier: Verifier<Data, Req>): VerifierInternals<Data, Req> {
  const found = (verifier as Partial<Verifier<Data, Req>> | undefined)?.[VERIFIER_INTERNALS];
  if (!found)
    throw new TypeError('@signet/core/adapter: expected a verifier from createVerifier()');
  return found;
}

/** Verifies a framework request described by the adapter contract. Throws `VerificationError`. */
export function verifyIncoming<Data, Req>(
  verifier: Verifier<Data, Req>,
  incoming: IncomingRequest<Req>,
): Promise<VerifiedMessage<Data>> {
  return internals(verifier).verifyIncoming(incoming);
}

/**
 * Verifies, and on failure calls `onError` and builds the problem response. Only
 * `VerificationError`s become an outcome; anything else (a bug) is thrown.
 */
export function handle<Data, Req>(
  verifier: Verifier<Data, Req>,
  incoming: IncomingRequest<Req>,
): Promise<Outcome<Data>> {
  return internals(verifier).handle(incoming);
}

/**
 * After the handler ran: `status` is what it answered, or undefined when it threw or the
 * response never finished. Anything but a 2xx forgets the token in the replay store, so that
 * QStash's retry (same token) is accepted.
 */
export function settle<Data, Req>(
  verifier: Verifier<Data, Req>,
  message: VerifiedMessage<Data>,
  status: number | undefined,
): Promise<void> {
  return internals(verifier).settle(message, status);
}
