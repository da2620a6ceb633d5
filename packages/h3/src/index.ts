export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export { type MiddlewareOptions, signature } from './middleware.ts';
export {
  getMessage,
  type OfficialConfig,
  type SignatureOptions,
  type SignedHandler,
  verifySignatureH3,
  verifySignatureNuxt,
  withSignature,
} from './with-signature.ts';
