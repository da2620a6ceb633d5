// The fixture's handlers as SolidStart API routes (see @signet/conformance/fixture).
import {
  echo,
  fixtureOptions,
  HandlerFailure,
  handlerStatus,
  type ProtectedRoute,
  readRequestBody,
  reportToCollector,
} from '@signet/conformance/fixture';
import { type SignatureOptions, withSignature } from '@signet/solidstart';
import type { APIEvent } from '@solidjs/start/server';

export function fixtureHandler(route: ProtectedRoute) {
  return async (event: APIEvent) => {
    const body = await readRequestBody(event.request);
    if (route === 'throws') throw new HandlerFailure();
    return Response.json(echo(route, event.request.method, event.locals.signet, body), {
      status: handlerStatus(event.request.url),
    });
  };
}

export function fixtureSignatureOptions(route: ProtectedRoute): SignatureOptions {
  return fixtureOptions[route](reportToCollector) as SignatureOptions;
}

/** One fixture route: its handler behind withSignature, for GET and POST. */
export function signedRoute(route: ProtectedRoute) {
  const handler = withSignature(fixtureHandler(route), fixtureSignatureOptions(route));
  return { GET: handler, POST: handler };
}
