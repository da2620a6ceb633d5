import type { InferData, StandardSchemaV1, VerifiedMessage } from '@signet/core';
import { respondVerified, webRequestIncoming } from '@signet/core/adapter';
import { remember } from './messages.ts';
import type { SignatureOptions } from './options.ts';
import { appRouterUrl, nextSpelling, routeParams } from './url.ts';
import { routeVerifier } from './verifier.ts';

/** The second argument a wrapped handler receives: Next's route context plus the message. */
export type SignetContext<Context, Data> = Context & { signet: VerifiedMessage<Data> };

type Handler<Req extends Request, Context, Data> = (
  request: Req,
  context: SignetContext<Context, Data>,
) => Response | Promise<Response>;

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Next's context with `signet` added. A plain route context (`{ params }`) is copied; anything
 * else (a `NextFetchEvent`, whose methods use private state) is wrapped so that its methods
 * still run on the original.
 */
function withMessage<Context>(
  context: Context,
  message: VerifiedMessage<unknown>,
): SignetContext<Context, unknown> {
  if (context === undefined || context === null)
    return { signet: message } as SignetContext<Context, unknown>;
  if (typeof context !== 'object' || isPlainObject(context)) return { ...context, signet: message };
  return new Proxy(context, {
    get(target, property) {
      if (property === 'signet') return message;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as SignetContext<Context, unknown>;
}

/**
 * Wraps an App Router route handler (Node or Edge runtime) so that it only runs for requests
 * QStash signed for this URL. The handler gets the original request, body unread, and the
 * verified message as `context.signet` (or `getMessage(request)`); anything else is answered with
 * a 401/413/422 problem+json response.
 *
 * @example
 * ```ts
 * // app/api/qstash/route.ts
 * import { verifySignatureAppRouter } from '@signet/next';
 *
 * export const POST = verifySignatureAppRouter(async (request, { signet }) => {
 *   const job = await request.json();
 *   return Response.json({ ok: true, message: signet.id });
 * });
 * ```
 */
export function verifySignatureAppRouter<
  Schema extends StandardSchemaV1 | undefined = undefined,
  Req extends Request = Request,
  Context = unknown,
>(
  handler: Handler<Req, Context, InferData<Schema>>,
  options: SignatureOptions<Schema, Req> = {},
): (request: Req, context: Context) => Promise<Response> {
  const verifier = routeVerifier<Schema, Req>(options);
  return async function signetRoute(request, context) {
    const url = appRouterUrl(request, await routeParams(context));
    const incoming = {
      ...webRequestIncoming(request, request),
      url: () => url,
      claimUrl: nextSpelling,
    };
    return respondVerified(verifier(), incoming, (message) => {
      remember(request, message);
      return handler(
        request,
        withMessage(context, message) as SignetContext<Context, InferData<Schema>>,
      );
    });
  };
}

/** The same as `verifySignatureAppRouter`, under the official helpers' Edge name. */
export const verifySignatureEdge: typeof verifySignatureAppRouter = verifySignatureAppRouter;
