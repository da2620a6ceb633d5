import type { BodySource } from './body.ts';
import type { VerificationError } from './errors.ts';
import type { VerifiedMessage } from './message.ts';
import type { ProblemResponse } from './problem.ts';

/**
 * The adapter contract: how a framework's request looks to the verifier. Adapters fill this in
 * and nothing else; every decision about the request is made in core.
 */
export interface IncomingRequest<Req> {
  /** The framework's own request, handed to the `url` function and to `onError`. */
  readonly request: Req;
  /** A header by lower-case name. */
  header(name: string): string | null | undefined;
  /** The absolute URL the framework saw (before `origin` or `trustProxy`). Called only when needed. */
  url(): string;
  /** The raw body. Called at most once, and only once the token is known to be well formed. */
  body(): BodySource | Promise<BodySource>;
  /**
   * For frameworks that re-encode URLs before the handler sees them (Next's App Router rebuilds
   * query strings): the token's URL in that same spelling, so the two compare exactly. Must be
   * what the framework does to every URL, so that it never makes two URLs the app could tell
   * apart equal.
   */
  claimUrl?(claimed: string): string;
}

/** What `handle()` decides: the message, or the error and the problem response to answer with. */
export type Outcome<Data> =
  | { ok: true; message: VerifiedMessage<Data> }
  | { ok: false; error: VerificationError; response: ProblemResponse };
