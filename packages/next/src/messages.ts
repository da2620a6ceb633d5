import type { VerifiedMessage } from '@signet/core';

// The verified message of each request, for getMessage(). Weak: it goes with the request.
const messages = new WeakMap<object, VerifiedMessage<unknown>>();

export function remember(request: object, message: VerifiedMessage<unknown>): void {
  messages.set(request, message);
}

/**
 * The verified message of a request a Signet wrapper let through (App Router `Request` or Pages
 * Router `req`). Throws when the request was not verified, which is a wiring mistake.
 */
export function getMessage<Data = unknown>(request: object): VerifiedMessage<Data> {
  const message = messages.get(request);
  if (!message) {
    throw new Error(
      '@signet/next: this request was not verified; wrap the route with verifySignatureAppRouter() or verifySignature()',
    );
  }
  return message as VerifiedMessage<Data>;
}
