// The parts of SvelteKit's RequestEvent that Signet uses, typed structurally: Kit 3 moved
// `RequestEvent` into the app-only `$app/server` module, and Kit 2 still exports it from
// `@sveltejs/kit`. Any RequestEvent of either version fits.
import type { VerifiedMessage } from '@signet/core';

export interface SignetEvent {
  readonly request: Request;
  readonly url: URL;
  readonly route: { readonly id: string | null };
  readonly locals: object;
}

/** `event.locals.signet`: declare it on `App.Locals` (see the README) to have it typed. */
export interface SignetLocals<Data = unknown> {
  signet?: VerifiedMessage<Data>;
}

export function setMessage(event: SignetEvent, message: VerifiedMessage<unknown>): void {
  (event.locals as SignetLocals).signet = message;
}
