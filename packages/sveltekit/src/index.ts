export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export { verifySignatureSvelte } from './endpoint.ts';
export type { SignetEvent, SignetLocals } from './event.ts';
export { type HandleInput, type SignatureHandleOptions, signatureHandle } from './handle.ts';
export type { PathMatcher } from './paths.ts';
