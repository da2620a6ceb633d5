// The conformance fixture (see @signet/conformance/fixture) as Lambda functions: one wrapped
// handler per route, chosen the way API Gateway's routes would (`/hooks/echo`, `/guarded/{name}`).
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
import type { VerifiedMessage } from '@signet/core';
import {
  type HttpEvent,
  type SignatureOptions,
  type SignedEvent,
  withSignature,
} from '../src/index.ts';
import type { LambdaHandler } from './shim.ts';

const methodOf = (event: HttpEvent) =>
  'httpMethod' in event ? event.httpMethod : event.requestContext.http.method;
const pathOf = (event: HttpEvent) => ('rawPath' in event ? event.rawPath : event.path);
const headerOf = (event: HttpEvent, name: string) => {
  const headers = event.headers ?? {};
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
};
const queryOf = (event: HttpEvent) =>
  'rawQueryString' in event
    ? event.rawQueryString
    : new URLSearchParams(
        Object.entries(event.multiValueQueryStringParameters ?? {}).flatMap(([key, values]) =>
          (values ?? []).map((value) => [key, value]),
        ),
      ).toString();

/** What the handler reads from the event itself (the body Lambda delivered). */
function handlerBody(event: HttpEvent): HandlerBody {
  const method = methodOf(event);
  if (method === 'GET' || method === 'HEAD') return { kind: 'none' };
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64')
      : Buffer.from(event.body)
    : Buffer.alloc(0);
  const kind = bodyKind(headerOf(event, 'content-type'));
  if (kind === 'json') return { kind, value: JSON.parse(raw.toString()) };
  if (kind === 'text') return { kind, value: raw.toString() };
  return { kind, base64: toBase64(raw) };
}

export function createFixtureFunctions() {
  const errors: RecordedError[] = [];
  const record = (error: RecordedError) => errors.push(error);
  const options = (route: ProtectedRoute) => fixtureOptions[route](record) as SignatureOptions;

  const fn = (route: ProtectedRoute) =>
    withSignature(async (event: SignedEvent<HttpEvent>) => {
      const body = handlerBody(event);
      if (route === 'throws') throw new HandlerFailure();
      return {
        statusCode: handlerStatus(`http://x${pathOf(event)}?${queryOf(event)}`),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          echo(route, methodOf(event), event.signet as VerifiedMessage<unknown>, body),
        ),
      };
    }, options(route));

  const functions = new Map<string, LambdaHandler>();
  for (const route of hookRoutes) functions.set(ROUTES[route], fn(route) as LambdaHandler);
  const prefixed = fn('prefixed') as LambdaHandler;

  const dispatch: LambdaHandler = async (raw, context) => {
    const event = raw as HttpEvent;
    const path = pathOf(event);
    const chosen =
      functions.get(path) ??
      (path.startsWith(`${GUARDED_PREFIX}/`) && path.split('/').length === 3
        ? prefixed
        : undefined);
    if (path === ROUTES.open) {
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(echo('open', methodOf(event), undefined, handlerBody(event))),
      };
    }
    if (!chosen) return { statusCode: 200, body: JSON.stringify({ route: FALLBACK_ROUTE }) };
    try {
      return await chosen(event as never, context);
    } catch (error) {
      // What Lambda does with a thrown handler: API Gateway answers 500.
      if (error instanceof HandlerFailure)
        return { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) };
      throw error;
    }
  };
  return { dispatch, errors };
}
