import type { StandardSchemaV1 } from '@signet/core';
import { admitNodeRequest, writeProblem } from '@signet/core/adapter';
import type { NextApiHandler, NextApiRequest, NextApiResponse } from 'next';
import { remember } from './messages.ts';
import type { SignatureOptions } from './options.ts';
import { nextSpelling } from './url.ts';
import { routeVerifier } from './verifier.ts';

const BODY_PARSER_FIX =
  "Next's body parser read this request first, so the signed bytes are gone. Add `export const config = { api: { bodyParser: false } }` to this API route.";

/**
 * Wraps a Pages Router API route so that it only runs for requests QStash signed for this URL.
 * Needs `export const config = { api: { bodyParser: false } }` (it reads the raw body itself,
 * and answers 500 with that fix when Next's parser got there first). After it, `req.body` is
 * the parsed JSON for JSON content types (text for `text/*`, a Buffer otherwise) and
 * `getMessage(req)` the verified message.
 *
 * @example
 * ```ts
 * // pages/api/qstash.ts
 * import { verifySignature } from '@signet/next';
 *
 * export default verifySignature(async (req, res) => {
 *   res.status(200).json({ received: req.body });
 * });
 * export const config = { api: { bodyParser: false } };
 * ```
 */
export function verifySignature<Schema extends StandardSchemaV1 | undefined = undefined>(
  handler: NextApiHandler,
  options: SignatureOptions<Schema, NextApiRequest> = {},
): NextApiHandler {
  const verify = routeVerifier<Schema, NextApiRequest>(options);
  return async function signetApiRoute(req: NextApiRequest, res: NextApiResponse) {
    const outcome = await admitNodeRequest(verify(), req, res, {
      parsedFix: BODY_PARSER_FIX,
      // Next re-serialises the query of dynamic API routes too (`?flag` arrives as `?flag=`).
      claimUrl: nextSpelling,
    });
    if (!outcome.ok) return writeProblem(res, outcome.response);
    remember(req, outcome.message);
    await handler(req, res);
  };
}
