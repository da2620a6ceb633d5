export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export { type SignetContext, verifySignatureAppRouter, verifySignatureEdge } from './app-router.ts';
export { getMessage } from './messages.ts';
export type { SignatureOptions, VerifySignatureConfig } from './options.ts';
export { verifySignature } from './pages-router.ts';
