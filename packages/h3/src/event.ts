// What the verifier needs from an H3 event, for both majors: h3 1 (Nuxt 4, Nitro 2: Node's
// request at `event.node.req`) and h3 2 (Nitro 3, SolidStart 2: a Web `Request` at `event.req`,
// on Node backed by srvx over Node's request at `event.runtime.node.req`).
import type { BodySource, VerifiedMessage } from '@signet/core';
import {
  type IncomingRequest,
  type NodeRequestLike,
  type NodeResponseLike,
  nodeHeader,
  nodeRequestBody,
  nodeRequestUrl,
  webRequestIncoming,
} from '@signet/core/adapter';

/** Node's request as h3 hands it over, with what body readers leave on it. */
interface NodeRequest extends NodeRequestLike {
  originalUrl?: string;
  /** A buffered body: srvx (h3 2) and h3 1's `readRawBody` both read from it first. */
  rawBody?: unknown;
}

/** An h3 1 event: `event.node.req`, and the body cache of `readRawBody`. */
export interface EventV1 {
  node: { req: NodeRequest; res: NodeResponse };
  web?: { request?: Request } | undefined;
  _requestBody?: unknown;
  context: Record<string, unknown>;
}

/** An h3 2 event: a Web `Request`, and Node's request under it when on Node. */
export interface EventV2 {
  req: Request;
  runtime?: { node?: { req?: NodeRequest; res?: NodeResponse } } | undefined;
  res: { status?: number | undefined };
  context: Record<string, unknown>;
}

type NodeResponse = NodeResponseLike;

export type AnyEvent = EventV1 | EventV2;

export function isV2(event: AnyEvent): event is EventV2 {
  return typeof (event as EventV2).req?.headers?.get === 'function';
}

const PARSED_FIX =
  'Something read the request body before Signet (readBody, a body parser): put the Signet handler or middleware first.';

const isBytes = (value: unknown): value is Uint8Array | string =>
  value instanceof Uint8Array || typeof value === 'string';

/** Node's request under the event, when there is one and its stream is the real body. */
export function nodeRequestOf(event: AnyEvent): NodeRequest | undefined {
  const req = isV2(event) ? event.runtime?.node?.req : event.node?.req;
  return typeof req?.on === 'function' ? req : undefined;
}

/** The body to verify: what a reader buffered already, Node's untouched stream, or a clone. */
function bodyOf(event: AnyEvent, node: NodeRequest | undefined): BodySource | Promise<BodySource> {
  if (!isV2(event) && event._requestBody !== undefined) {
    // h3 1's readRawBody ran: its cached Buffer (or the promise of it) is the body.
    return Promise.resolve(event._requestBody).then((body) => {
      if (isBytes(body)) return body;
      throw new TypeError(`@signet/h3: ${PARSED_FIX}`);
    });
  }
  if (node) {
    if (isBytes(node.rawBody)) return node.rawBody;
    return nodeRequestBody(node, PARSED_FIX);
  }
  const request = isV2(event) ? event.req : event.web?.request;
  // No Node underneath (Bun, Deno, Workers): read a clone, the original stays for the handler.
  return request?.body ? request.clone().body : null;
}

/** The adapter contract for an H3 event. `raw` is what `onError` and a `url` function receive. */
export function incomingOf<Req extends AnyEvent>(event: Req): IncomingRequest<Req> {
  const node = nodeRequestOf(event);
  if (isV2(event) && !node) return webRequestIncoming(event.req, event);
  if (!node) {
    const request = (event as EventV1).web?.request;
    if (request) return webRequestIncoming(request, event);
  }
  const req = node as NodeRequest;
  return {
    request: event,
    header: nodeHeader(req),
    // originalUrl: the path as sent, also under a prefix h3 1 or Nitro stripped from `url`.
    url: () => nodeRequestUrl(req, req.originalUrl ?? req.url),
    body: () => bodyOf(event, node),
  };
}

/**
 * After verification: the message in `event.context.signet`, and the verified bytes where the
 * framework's own readers look first (`readBody`, `readRawBody`, `event.req.json()`), since the
 * stream has been read.
 */
export function admit(event: AnyEvent, message: VerifiedMessage<unknown>): void {
  event.context.signet = message;
  const node = nodeRequestOf(event);
  if (!node) return;
  const bytes = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength);
  node.rawBody = bytes;
  if (!isV2(event)) event._requestBody = bytes;
}

/** The status a handler answered: its Response's, or the one set on the event (200 when none). */
export function answeredStatus(event: AnyEvent, result: unknown): number {
  if (result instanceof Response) return result.status;
  if (isV2(event)) return event.res.status ?? 200;
  return event.node.res.statusCode;
}

/** Node's response under the event, for settling once it is sent. */
export function nodeResponseOf(event: AnyEvent): NodeResponse | undefined {
  const res = isV2(event) ? event.runtime?.node?.res : event.node?.res;
  return typeof res?.once === 'function' ? res : undefined;
}
