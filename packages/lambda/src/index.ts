export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export type { HttpEvent, HttpEventV1, HttpEventV2, HttpResult, ProblemResult } from './events.ts';
export { type SignatureOptions, type SignedEvent, withSignature } from './with-signature.ts';
