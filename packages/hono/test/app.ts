// The conformance fixture (see @signet/conformance/fixture) implemented with Hono.
import {
  bodyKind,
  echo,
  FALLBACK_ROUTE,
  fixtureOptions,
  GUARDED_PREFIX,
  type HandlerBody,
  HandlerFailure,
  handlerStatus,
  hookRoutes,
  type ProtectedRoute,
  type RecordedError,
  ROUTES,
  toBase64,
} from '@signet/conformance/fixture';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type SignetEnv, signature } from '../src/index.ts';

async function readBody(c: Context): Promise<HandlerBody> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(c.req.header('content-type'));
  if (kind === 'json') return { kind, value: await c.req.json() };
  if (kind === 'text') return { kind, value: await c.req.text() };
  return { kind, base64: toBase64(new Uint8Array(await c.req.arrayBuffer())) };
}

/**
 * The fixture on `HonoClass`: the installed Hono, or another version of it (the lowest the peer
 * range allows), whose request, body cache and routing the adapter then runs against.
 */
export function createFixtureApp(HonoClass: typeof Hono = Hono) {
  const errors: RecordedError[] = [];
  const record = (error: RecordedError) => errors.push(error);
  const app = new HonoClass<SignetEnv<unknown>>();

  const handler = (route: ProtectedRoute) => async (c: Context<SignetEnv<unknown>>) => {
    const handlerBody = await readBody(c);
    if (route === 'throws') throw new HandlerFailure();
    return c.json(
      echo(route, c.req.method, c.get('signet'), handlerBody),
      handlerStatus(c.req.url) as 200,
    );
  };
  const options = (route: ProtectedRoute) =>
    fixtureOptions[route](record) as Parameters<typeof signature>[0];

  for (const route of hookRoutes) {
    app.on(['GET', 'POST'], ROUTES[route], signature(options(route)), handler(route));
  }
  // The README's idiom: one middleware for a whole prefix.
  app.use(`${GUARDED_PREFIX}/*`, signature(options('prefixed')));
  app.on(['GET', 'POST'], `${GUARDED_PREFIX}/:name`, handler('prefixed'));
  app.on(['GET', 'POST'], ROUTES.open, async (c) =>
    c.json(echo('open', c.req.method, undefined, await readBody(c))),
  );
  app.all('*', (c) => c.json({ route: FALLBACK_ROUTE }));
  // Hono's default error handler answers 500 for the `throws` route too, but logs the error.
  app.onError((error, c) => {
    if (error instanceof HandlerFailure) return c.json({ error: error.message }, 500);
    return error instanceof HTTPException
      ? error.getResponse()
      : c.text('Internal Server Error', 500);
  });
  return { app, errors };
}
