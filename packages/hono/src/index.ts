export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { VerificationError } from '@signet/core';
export { type SignatureOptions, type SignetEnv, signature } from './signature.ts';
