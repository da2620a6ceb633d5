import type { StandardSchemaV1, VerifierOptions } from '@signet/core';

/**
 * The core's options (`devMode` among them, as in the official helpers). `url` functions and
 * `onError` receive the request: a Web `Request` in the App Router, a `NextApiRequest` in the
 * Pages Router.
 */
export type SignatureOptions<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Req = Request,
> = VerifierOptions<Schema, Req>;

/**
 * The official helpers' config type (`@upstash/qstash/nextjs`), kept so that migrating is an
 * import change. Every field means the same here, except that `url` is really checked.
 */
export interface VerifySignatureConfig {
  currentSigningKey?: string;
  nextSigningKey?: string;
  url?: string;
  clockTolerance?: number;
  devMode?: boolean;
}
