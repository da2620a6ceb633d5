export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export { type SignatureOptions, type SignetEnv, signature } from './signature.ts';
