// `@signet/core/adapter`: the contract for writing a framework adapter. Application code needs
// none of this; it uses `createVerifier` and friends from `@signet/core`.
export type { IncomingRequest, Outcome } from '../incoming.ts';
export { pathAndQuery } from '../url.ts';
export { verifierPerBindings } from './bindings.ts';
export {
  admitNodeRequest,
  type NodeIncomingOptions,
  type NodeRequestLike,
  type NodeResponseLike,
  nodeHeader,
  nodeParsedBody,
  nodeRequestBody,
  nodeRequestIncoming,
  nodeRequestUrl,
  settleWhenDone,
  writeProblem,
} from './node.ts';
export { pathGuard, pathSpellings } from './paths.ts';
export { handle, runSettled, settle, verifyIncoming } from './verifier.ts';
export { respondVerified, webRequestIncoming } from './web.ts';
