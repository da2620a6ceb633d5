// The fixture's protected routes for the App Router: one wrapped handler per route name, made
// once, as an app would at module level.
import {
  echo,
  fixtureOptions,
  HandlerFailure,
  handlerStatus,
  type ProtectedRoute,
  readRequestBody,
  reportToCollector,
} from '@signet/conformance/fixture';
import { getMessage, verifySignatureAppRouter } from '@signet/next';

type Context = { params: Promise<{ route: string }> };

function route(name: ProtectedRoute) {
  return verifySignatureAppRouter(
    async (
      request: Request,
      context: { signet: import('@signet/next').VerifiedMessage<unknown> },
    ) => {
      const body = await readRequestBody(request);
      if (name === 'throws') throw new HandlerFailure();
      // The same message both ways: the second argument and getMessage().
      if (getMessage(request) !== context.signet)
        throw new Error('getMessage disagrees with context.signet');
      return Response.json(echo(name, request.method, context.signet, body), {
        status: handlerStatus(request.url),
      });
    },
    fixtureOptions[name](reportToCollector) as Parameters<typeof verifySignatureAppRouter>[1],
  );
}

const routes = Object.fromEntries(
  (Object.keys(fixtureOptions) as ProtectedRoute[]).map((name) => [name, route(name)]),
) as Record<ProtectedRoute, (request: Request, context: unknown) => Promise<Response>>;

export async function dispatch(request: Request, context: Context): Promise<Response> {
  const { route: name } = await context.params;
  const handler = routes[(name === 'throw' ? 'throws' : name) as ProtectedRoute];
  return handler
    ? handler(request, context)
    : new Response('no such fixture route', { status: 404 });
}

/** Every `/guarded/<name>`: the `prefixed` route (Next has no prefix guard; each route is wrapped). */
export function guarded(
  request: Request,
  context: { params: Promise<{ name: string }> },
): Promise<Response> {
  return routes.prefixed(request, context);
}

export async function open(request: Request): Promise<Response> {
  return Response.json(echo('open', request.method, undefined, await readRequestBody(request)));
}
