export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export { getMessage, type SignatureOptions, signature, signatureHook } from './signature.ts';
