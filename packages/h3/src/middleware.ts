import {
  createVerifier,
  type StandardSchemaV1,
  toResponse,
  type VerifiedMessage,
} from '@signet/core';
import { handle, pathAndQuery, pathGuard, runSettled, settleWhenDone } from '@signet/core/adapter';
import type { H3Event } from 'h3';
import {
  type AnyEvent,
  admit,
  answeredStatus,
  incomingOf,
  isV2,
  nodeRequestOf,
  nodeResponseOf,
} from './event.ts';
import { asHandler, type SignatureOptions } from './with-signature.ts';

export interface MiddlewareOptions<Schema extends StandardSchemaV1 | undefined = undefined>
  extends SignatureOptions<Schema> {
  /**
   * Which requests to verify, for middleware that sees every request (a Nitro or Nuxt
   * `server/middleware` file): path prefixes (`'/api/hooks'` covers it and everything under it)
   * or a predicate. Every spelling a router could decode to a guarded path is verified. Default:
   * every request the middleware runs for.
   */
  paths?: string | readonly string[] | ((event: H3Event) => boolean);
}

/** The paths a request could be routed on: as sent, and as h3 2 normalised it for its router. */
function pathsOf(event: AnyEvent): string[] {
  const node = nodeRequestOf(event);
  const sent = node ? (node.originalUrl ?? node.url ?? '/') : undefined;
  const found: string[] = [];
  if (sent !== undefined) found.push(sent.split('?')[0] as string);
  if (isV2(event)) {
    found.push((event as unknown as { url: URL }).url.pathname);
    found.push(pathAndQuery(event.req.url).split('?')[0] as string);
  } else if (event.web?.request) {
    found.push(pathAndQuery(event.web.request.url).split('?')[0] as string);
  }
  return found;
}

function compile(paths: NonNullable<MiddlewareOptions['paths']>): (event: H3Event) => boolean {
  if (typeof paths === 'function') return paths;
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0) {
    throw new TypeError('@signet/h3: `paths` is empty, so nothing would be verified');
  }
  const guard = pathGuard(list, '@signet/h3: paths');
  return (event) => pathsOf(event as unknown as AnyEvent).some(guard);
}

type Next = () => unknown;

/**
 * H3 middleware that lets only QStash through:
 *
 * - h3 2 (Nitro 3): `app.use('/hooks/**', signature())`, or a route's `middleware` option; it
 *   runs the rest of the chain with `next()` and settles the replay mark from its answer.
 * - h3 1 (Nuxt 4, Nitro 2): `app.use('/hooks', signature())`, or a `server/middleware` file with
 *   `paths`; it returns nothing for a verified request, so h3 carries on.
 *
 * A verified request has its message in `event.context.signet`, and its body readable as usual;
 * any other is answered with the 401/413/422 problem+json response.
 *
 * @example
 * ```ts
 * // server/middleware/signet.ts (Nuxt, Nitro)
 * import { signature } from '@signet/h3';
 *
 * export default signature({ paths: ['/api/hooks'] });
 * ```
 */
export function signature<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: MiddlewareOptions<Schema> = {},
) {
  const { paths, ...verifierOptions } = options;
  const guarded = paths === undefined ? () => true : compile(paths);
  const verifier = createVerifier<Schema, H3Event>(verifierOptions);
  return asHandler(async (event: H3Event, next?: Next) => {
    const any = event as unknown as AnyEvent;
    if (!guarded(event)) return next ? next() : undefined;
    const outcome = await handle(verifier, incomingOf(event as H3Event & AnyEvent));
    if (!outcome.ok) return toResponse(outcome.response);
    const message = outcome.message;
    admit(any, message as VerifiedMessage<unknown>);
    if (typeof next === 'function') {
      return runSettled(verifier, message, next, (result) => answeredStatus(any, result));
    }
    // h3 1 runs the handler after this returns: settle once Node's response is sent.
    const res = nodeResponseOf(any);
    if (res) settleWhenDone(verifier, message, res);
    return undefined;
  });
}
