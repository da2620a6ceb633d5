// The fixture's handlers, for Nitro's server routes (see @signet/conformance/fixture).
import {
  bodyKind,
  echo,
  fixtureOptions,
  type HandlerBody,
  HandlerFailure,
  handlerStatus,
  type ProtectedRoute,
  reportToCollector,
  toBase64,
} from '@signet/conformance/fixture';
import { type SignatureOptions, withSignature } from '@signet/h3';
import type { H3Event } from 'h3';

export async function readFixtureBody(event: H3Event): Promise<HandlerBody> {
  if (event.method === 'GET' || event.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(getHeader(event, 'content-type'));
  if (kind === 'json') return { kind, value: await readBody(event) };
  if (kind === 'text') return { kind, value: (await readRawBody(event, 'utf8')) ?? '' };
  const raw = await readRawBody(event, false);
  return { kind, base64: toBase64(raw ?? new Uint8Array(0)) };
}

export function fixtureHandler(route: ProtectedRoute) {
  return async (event: H3Event) => {
    const body = await readFixtureBody(event);
    if (route === 'throws') throw new HandlerFailure();
    setResponseStatus(event, handlerStatus(`http://x${event.path}`));
    return echo(route, event.method, event.context.signet, body);
  };
}

export function fixtureSignatureOptions(route: ProtectedRoute): SignatureOptions {
  return fixtureOptions[route](reportToCollector) as SignatureOptions;
}

/** A server route for one fixture route: its handler behind withSignature. */
export function signedRoute(route: ProtectedRoute) {
  return withSignature(fixtureHandler(route), fixtureSignatureOptions(route));
}
