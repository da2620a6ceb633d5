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

/**
 * Runs the handler of a verified request and settles the replay mark from what it answered
 * (`statusOf` reads the status from the framework's result): a throw settles as unfinished and
 * is rethrown, for the framework to answer as it answers any error.
 */
export async function runSettled<Data, Req, Result>(
  verifier: Verifier<Data, Req>,
  message: VerifiedMessage<Data>,
  run: () => Result | Promise<Result>,
  statusOf: (result: Result) => number | undefined,
): Promise<Result> {
  let result: Result;
  try {
    result = await run();
  } catch (error) {
    await settle(verifier, message, undefined);
    throw error;
  }
  await settle(verifier, message, statusOf(result));
  return result;
}
