// Everything the two builds share. `index.node.ts` and `index.web.ts` add `createVerifier` and
// `createSigner` on their own crypto backend. What only adapters use is in `@signet/core/adapter`.
export type { BodyBytes, BodySource, NodeReadableLike } from './body.ts';
export {
  errorStatuses,
  isVerificationError,
  type SchemaIssue,
  VerificationError,
  type VerificationErrorCode,
  type VerificationErrorStatus,
} from './errors.ts';
export type { HeadersLike } from './headers.ts';
export { DEV_SIGNING_KEYS, type Env, normalizeRegion, type SigningKeys } from './keys.ts';
export type { Logger } from './logger.ts';
export type { QStashClaims, SignedBy, VerifiedMessage } from './message.ts';
export { DEFAULT_MAX_BODY_BYTES, type VerifierOptions } from './options.ts';
export {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemOptions,
  type ProblemResponse,
  problemResponse,
  toProblem,
  toResponse,
} from './problem.ts';
export { type GitHubOptions, github } from './providers/github.ts';
export type { Provider, ProviderName } from './providers/provider.ts';
export { type StandardWebhooksOptions, standardWebhooks } from './providers/standard-webhooks.ts';
export { type StripeOptions, stripe } from './providers/stripe.ts';
export { generateSigningKey } from './random.ts';
export { type MemoryReplayStoreOptions, memoryReplayStore } from './replay/memory.ts';
export {
  type PostgresClientLike,
  type PostgresReplayStoreOptions,
  postgresReplayStore,
} from './replay/postgres.ts';
export {
  type IoRedisLike,
  type NodeRedisLike,
  type RedisClientLike,
  type RedisReplayStoreOptions,
  redisReplayStore,
  type UpstashRedisLike,
} from './replay/redis.ts';
export type { ReplayStore } from './replay/store.ts';
export type { InferData, StandardSchemaResult, StandardSchemaV1 } from './schema.ts';
export { type Signer, type SignerOptions, type SignInput, TOKEN_LIFETIME_SECONDS } from './sign.ts';
export { ORIGIN_ENV, type UrlOption } from './url.ts';
export type { Verifier, VerifyInput } from './verifier.ts';
