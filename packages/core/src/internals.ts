import type { IncomingRequest, Outcome } from './incoming.ts';
import type { VerifiedMessage } from './message.ts';

/**
 * Where a verifier keeps what only adapters use. A registered symbol, so a verifier made by one
 * copy of `@signet/core` still works with another copy's adapter entry point.
 */
export const VERIFIER_INTERNALS: unique symbol = Symbol.for('@signet/core.verifier');

export interface VerifierInternals<Data, Req> {
  verifyIncoming(incoming: IncomingRequest<Req>): Promise<VerifiedMessage<Data>>;
  handle(incoming: IncomingRequest<Req>): Promise<Outcome<Data>>;
  /** `status` is the handler's answer, or undefined when it threw or never finished answering. */
  settle(message: VerifiedMessage<Data>, status: number | undefined): Promise<void>;
}
