// The conformance fixture (see @signet/conformance/fixture) on plain h3 2 and h3 1: the hook
// routes each wrapped with `withSignature`, the prefixed route behind the `signature` middleware
// (mounted on the prefix in h3's own idiom).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { H3, type H3Event, serve } from 'h3';
import * as h3v1 from 'h3v1';
import { type SignatureOptions, signature, withSignature } from '../src/index.ts';

export interface Running {
  origin: string;
  close(): Promise<void>;
}

function fixture() {
  const errors: RecordedError[] = [];
  const record = (error: RecordedError) => errors.push(error);
  const options = (route: ProtectedRoute) => fixtureOptions[route](record) as SignatureOptions;
  return { errors, options };
}

/** h3 2: what a handler reads through `event.req`, by content type. */
async function bodyV2(event: H3Event): Promise<HandlerBody> {
  if (event.req.method === 'GET' || event.req.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(event.req.headers.get('content-type'));
  if (kind === 'json') return { kind, value: await event.req.json() };
  if (kind === 'text') return { kind, value: await event.req.text() };
  return { kind, base64: toBase64(new Uint8Array(await event.req.arrayBuffer())) };
}

export function createV2App(): { app: H3; errors: RecordedError[] } {
  const { errors, options } = fixture();
  const app = new H3({ silent: true });
  const handler = (route: ProtectedRoute) => async (event: H3Event) => {
    const body = await bodyV2(event);
    if (route === 'throws') throw new HandlerFailure();
    event.res.status = handlerStatus(event.req.url);
    return echo(route, event.req.method, event.context.signet, body);
  };
  for (const route of hookRoutes) {
    app.all(ROUTES[route], withSignature(handler(route), options(route)));
  }
  app.use(`${GUARDED_PREFIX}/**`, signature(options('prefixed')));
  app.all(`${GUARDED_PREFIX}/:name`, handler('prefixed'));
  app.all(ROUTES.open, async (event) =>
    echo('open', event.req.method, undefined, await bodyV2(event)),
  );
  app.all('/**', () => ({ route: FALLBACK_ROUTE }));
  return { app, errors };
}

export async function listenV2(app: H3): Promise<Running> {
  const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  const url = new URL(server.url as string);
  return {
    origin: `http://127.0.0.1:${url.port}`,
    close: () => server.close(true),
  };
}

/** h3 1: what a handler reads with readBody / readRawBody, by content type. */
async function bodyV1(event: h3v1.H3Event): Promise<HandlerBody> {
  if (event.method === 'GET' || event.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(h3v1.getHeader(event, 'content-type'));
  if (kind === 'json') return { kind, value: await h3v1.readBody(event) };
  if (kind === 'text') return { kind, value: (await h3v1.readRawBody(event, 'utf8')) ?? '' };
  const raw = await h3v1.readRawBody(event, false);
  return { kind, base64: toBase64(raw ?? new Uint8Array(0)) };
}

export function createV1App(): { app: h3v1.App; errors: RecordedError[] } {
  const { errors, options } = fixture();
  const app = h3v1.createApp({
    onError: (error, event) => {
      if (error.cause instanceof HandlerFailure) {
        h3v1.setResponseStatus(event, 500);
        return h3v1.send(event, JSON.stringify({ error: 'the handler failed on purpose' }));
      }
    },
  });
  const router = h3v1.createRouter();
  const handler = (route: ProtectedRoute) => async (event: h3v1.H3Event) => {
    const body = await bodyV1(event);
    if (route === 'throws') throw new HandlerFailure();
    h3v1.setResponseStatus(event, handlerStatus(`http://x${event.path}`));
    return echo(route, event.method, event.context.signet, body);
  };
  for (const route of hookRoutes) {
    router.use(
      ROUTES[route],
      withSignature(handler(route) as never, options(route)) as unknown as h3v1.EventHandler,
    );
  }
  // h3 1's idiom: middleware on a prefix, before the router.
  app.use(GUARDED_PREFIX, signature(options('prefixed')) as unknown as h3v1.EventHandler);
  router.use(`${GUARDED_PREFIX}/:name`, h3v1.eventHandler(handler('prefixed')));
  router.use(
    ROUTES.open,
    h3v1.eventHandler(async (event) => echo('open', event.method, undefined, await bodyV1(event))),
  );
  router.use(
    '/**',
    h3v1.eventHandler(() => ({ route: FALLBACK_ROUTE })),
  );
  app.use(router);
  return { app, errors };
}

export async function listenV1(app: h3v1.App): Promise<Running> {
  const server = createServer(h3v1.toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
