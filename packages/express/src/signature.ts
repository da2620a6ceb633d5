import {
  createVerifier,
  type StandardSchemaV1,
  type VerifiedMessage,
  type VerifierOptions,
} from '@signet/core';
import { admitNodeRequest, writeProblem } from '@signet/core/adapter';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare global {
  namespace Express {
    interface Request {
      /** The verified QStash message, set by `@signet/express`'s `signature()` middleware. */
      signet?: VerifiedMessage<unknown>;
    }
  }
}

export interface SignatureOptions<Schema extends StandardSchemaV1 | undefined = undefined>
  extends VerifierOptions<Schema, Request> {
  /**
   * Pass a failure to `next(error)` (a `VerificationError`, with `status` and `code`) for your
   * error handler, instead of answering with the problem+json response. Default false.
   */
  forwardErrors?: boolean;
}

const PARSED_FIX =
  'A body parser (express.json(), express.text(), express.urlencoded()) read the request before signature(). Mount signature() before it, or use express.raw({ type: "*/*" }) on this route.';

/**
 * Verifies that requests come from QStash (the `Upstash-Signature` header) before your handler
 * runs. It reads the raw body itself, or takes the Buffer from `express.raw()`; after it,
 * `req.body` is the parsed JSON (text for `text/*`, a Buffer otherwise) and `req.signet` the
 * verified message. Failures are answered with a 401/413/422 problem+json response.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { signature } from '@signet/express';
 *
 * const app = express();
 * app.use('/hooks', signature()); // before express.json(), or on its own
 * app.post('/hooks/order', (req, res) => {
 *   res.json({ received: req.signet?.id, order: req.body });
 * });
 * ```
 */
export function signature<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: SignatureOptions<Schema> = {},
): RequestHandler {
  const { forwardErrors = false, ...verifierOptions } = options;
  const verifier = createVerifier<Schema, Request>(verifierOptions);

  return function signetSignature(req: Request, res: Response, next: NextFunction): void {
    // originalUrl: the full path, also when mounted with app.use('/hooks', …) or a router.
    admitNodeRequest(verifier, req, res, { path: req.originalUrl, parsedFix: PARSED_FIX }).then(
      (outcome) => {
        if (outcome.ok) {
          req.signet = outcome.message as VerifiedMessage<unknown>;
          next();
        } else if (forwardErrors) {
          next(outcome.error);
        } else {
          writeProblem(res, outcome.response);
        }
      },
      next,
    );
  };
}

/**
 * The verified message of a request, typed (say, with your schema's output). Throws when
 * `signature()` did not run for this request, which is a routing mistake.
 */
export function getMessage<Data = unknown>(req: Request): VerifiedMessage<Data> {
  if (!req.signet) {
    throw new Error(
      '@signet/express: no verified message on this request; is signature() mounted for this route?',
    );
  }
  return req.signet as VerifiedMessage<Data>;
}
