// The conformance fixture (see @signet/conformance/fixture) implemented with Fastify 5 or 4: the
// hook routes each with the route-level `signatureHook`, the prefixed route in a scope that
// registers the `signature` plugin (the README's idiom).
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
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type SignatureOptions, signature, signatureHook } from '../src/index.ts';

export type FastifyFactory = () => FastifyInstance;

function handlerBody(request: FastifyRequest): HandlerBody {
  if (request.method === 'GET' || request.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(request.headers['content-type']);
  // What Fastify's own parsers give the handler (the app adds a Buffer parser for other types).
  const body = request.body;
  if (kind === 'json') return { kind, value: body };
  if (kind === 'text') return { kind, value: (body as string | undefined) ?? '' };
  return { kind, base64: toBase64((body as Buffer | undefined) ?? new Uint8Array(0)) };
}

const asText = (body: unknown) =>
  body === undefined ? '' : Buffer.isBuffer(body) ? body.toString() : String(body);

export function createFixtureApp(fastify: FastifyFactory) {
  const errors: RecordedError[] = [];
  const record = (error: RecordedError) => errors.push(error);
  const app = fastify();
  // Fastify answers 415 to content types it has no parser for; QStash delivers any.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const handler =
    (route: ProtectedRoute) => async (request: FastifyRequest, reply: FastifyReply) => {
      const body = handlerBody(request);
      if (route === 'throws') throw new HandlerFailure();
      return reply
        .code(handlerStatus(`http://x${request.url}`))
        .send(echo(route, request.method, request.signet ?? undefined, body));
    };
  const options = (route: ProtectedRoute) => fixtureOptions[route](record) as SignatureOptions;

  for (const route of hookRoutes) {
    app.route({
      method: ['GET', 'POST'],
      url: ROUTES[route],
      preParsing: signatureHook(options(route)),
      handler: handler(route),
    });
  }
  // The README's idiom: a scope for the hook routes, with the plugin registered inside it.
  void app.register(
    async (guarded) => {
      await guarded.register(signature, options('prefixed'));
      guarded.route({ method: ['GET', 'POST'], url: '/:name', handler: handler('prefixed') });
    },
    { prefix: GUARDED_PREFIX },
  );
  app.route({
    method: ['GET', 'POST'],
    url: ROUTES.open,
    handler: async (request) =>
      echo('open', request.method, undefined, { kind: 'text', value: asText(request.body) }),
  });
  app.setNotFoundHandler(async () => ({ route: FALLBACK_ROUTE }));
  app.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof HandlerFailure) return reply.code(500).send({ error: error.message });
    throw error;
  });
  return { app, errors };
}

export async function listen(
  app: FastifyInstance,
): Promise<{ origin: string; close(): Promise<void> }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  };
}
