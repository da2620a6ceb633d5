export type { VerificationErrorCode, VerifiedMessage } from '@signet/core';
export { toProblem, VerificationError } from '@signet/core';
export {
  getMessage,
  type MiddlewareOptions,
  type OfficialConfig,
  type SignatureOptions,
  signature,
  verifySignatureSolidjs,
  withSignature,
} from './signature.ts';
