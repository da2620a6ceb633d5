import type { BodySource, NodeReadableLike } from '../body.ts';
import { VerificationError } from '../errors.ts';
import { readHeader } from '../headers.ts';
import type { IncomingRequest, Outcome } from '../incoming.ts';
import type { VerifiedMessage } from '../message.ts';
import type { ProblemResponse } from '../problem.ts';
import type { Verifier } from '../verifier.ts';
import { handle, settle } from './verifier.ts';

/** A Node `IncomingMessage` as Express and Next's Pages Router hand it over, typed structurally. */
export interface NodeRequestLike extends NodeReadableLike {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The path and query as received (`/hooks/a?x=1`). */
  readonly url?: string | undefined;
  /** A TLS socket has `encrypted: true`. */
  readonly socket?: object | null;
  /** Set by body parsers (express.json(), express.raw(), Next's bodyParser). */
  body?: unknown;
  /** body-parser 1.x (Express 4) marks a request it read. */
  _body?: unknown;
  readonly readableDidRead?: boolean;
}

/** A Node `ServerResponse`, typed structurally. */
export interface NodeResponseLike {
  readonly statusCode: number;
  readonly writableFinished: boolean;
  once(event: 'finish' | 'close', listener: () => void): unknown;
  writeHead(status: number, headers: Record<string, string>): { end(body: string): unknown };
}

export interface NodeIncomingOptions {
  /** The path and query the client sent, when the framework rewrote `req.url` (Express: `originalUrl`). */
  path?: string | undefined;
  /** The fix to tell the developer when a body parser consumed the stream first. */
  parsedFix: string;
  /** See `IncomingRequest.claimUrl`. */
  claimUrl?: ((claimed: string) => string) | undefined;
}

/**
 * The raw body of a Node request for verification: the untouched stream, or the Buffer a raw
 * parser (`express.raw()`) left in `req.body`. When a parser already consumed the stream and
 * left something else (parsed JSON, a string), the signed bytes are gone for good: re-serialising
 * would verify bytes QStash never sent, so this fails with BODY_ALREADY_PARSED and `fix`, the
 * framework's own words for putting things in the right order.
 */
export function nodeRequestBody(request: NodeRequestLike, fix: string): BodySource {
  // Judged on the stream, not on `req.body`: Express 4's parsers put `{}` there without reading.
  const consumed =
    request.readableEnded === true || request.readableDidRead === true || request._body === true;
  if (!consumed) return request;
  if (request.body instanceof Uint8Array) return request.body;
  if (request.headers['content-length'] === '0') return null;
  throw new VerificationError('BODY_ALREADY_PARSED', { detail: fix });
}

/**
 * The absolute URL a Node request was sent to, as this server saw it: `Host` plus the path.
 * Proxies and pinned origins are the verifier's business (`trustProxy`, `origin`).
 */
export function nodeRequestUrl(
  request: NodeRequestLike,
  path: string = request.url ?? '/',
): string {
  const scheme = (request.socket as { encrypted?: boolean } | null | undefined)?.encrypted
    ? 'https'
    : 'http';
  // HTTP/2 (Node's compatibility API, as Fastify with `http2: true` uses) names the host
  // `:authority`; clients need not send `Host` there.
  const host =
    readHeader(request.headers, 'host') ?? readHeader(request.headers, ':authority') ?? 'localhost';
  return `${scheme}://${host}${path}`;
}

/** `IncomingRequest.header` for a Node request: lower-case names, repeated headers joined. */
export function nodeHeader(request: NodeRequestLike): (name: string) => string | undefined {
  return (name) => readHeader(request.headers, name);
}

/** The adapter contract filled in from a Node request, in one call. */
export function nodeRequestIncoming<Req extends NodeRequestLike>(
  request: Req,
  options: NodeIncomingOptions,
): IncomingRequest<Req> {
  const incoming: IncomingRequest<Req> = {
    request,
    header: nodeHeader(request),
    url: () => nodeRequestUrl(request, options.path),
    body: () => nodeRequestBody(request, options.parsedFix),
  };
  if (options.claimUrl) incoming.claimUrl = options.claimUrl;
  return incoming;
}

/**
 * What `req.body` becomes after verification on a Node framework: what its own parsers would
 * give. JSON for JSON content types (the text, if it is not JSON after all: a verified request
 * is not failed for that), a string for `text/*`, raw bytes otherwise (a Buffer on Node), and
 * undefined for an empty body without a content type.
 */
export function nodeParsedBody(
  contentType: string | undefined,
  message: VerifiedMessage<unknown>,
): unknown {
  if (message.body.length === 0 && !contentType) return undefined;
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return message.json();
    } catch {
      return message.text();
    }
  }
  if (type.startsWith('text/')) return message.text();
  const { buffer, byteOffset, byteLength } = message.body;
  // Guarded: this module is in both builds, and only Node has Buffer.
  const NodeBuffer = (
    globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): Uint8Array } }
  ).Buffer;
  return NodeBuffer ? NodeBuffer.from(buffer, byteOffset, byteLength) : message.body;
}

/**
 * Settles the replay mark once the response is done: a non-2xx answer, a thrown handler (the
 * framework turns it into a 500) or a dropped connection releases it for QStash's retry.
 */
export function settleWhenDone<Data, Req>(
  verifier: Verifier<Data, Req>,
  message: VerifiedMessage<Data>,
  response: NodeResponseLike,
): void {
  let settled = false;
  const done = () => {
    if (settled) return;
    settled = true;
    void settle(verifier, message, response.writableFinished ? response.statusCode : undefined);
  };
  response.once('finish', done);
  response.once('close', done);
}

/**
 * The Node twin of `respondVerified`'s first half. Verifies; on success `req.body` becomes what
 * the framework's own parser would give, later parsers see the stream as read, and the replay
 * mark is settled when the response finishes. On failure nothing is written: the adapter answers
 * in its framework's idiom (`writeProblem`, or its error path).
 */
export async function admitNodeRequest<Data, Req extends NodeRequestLike>(
  verifier: Verifier<Data, Req>,
  request: Req,
  response: NodeResponseLike,
  options: NodeIncomingOptions,
): Promise<Outcome<Data>> {
  const outcome = await handle(verifier, nodeRequestIncoming(request, options));
  if (!outcome.ok) return outcome;
  request.body = nodeParsedBody(
    readHeader(request.headers, 'content-type'),
    outcome.message as VerifiedMessage<unknown>,
  );
  // Parsers mounted after us must not read the spent stream: Express 5's see it has ended,
  // Express 4's (body-parser 1.x) look only at this flag.
  request._body = true;
  settleWhenDone(verifier, outcome.message, response);
  return outcome;
}

/** Answers a problem response on a Node `ServerResponse`. */
export function writeProblem(response: NodeResponseLike, problem: ProblemResponse): void {
  response.writeHead(problem.status, problem.headers).end(problem.body);
}
