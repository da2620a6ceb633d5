import type { BodySource, NodeReadableLike } from './body.ts';
import { VerificationError } from './errors.ts';
import type { VerifiedMessage } from './message.ts';
import type { Verifier } from './verify.ts';

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
  readonly _body?: unknown;
  readonly readableDidRead?: boolean;
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

/** A header of a Node request by lower-case name; repeated headers are joined as Node joins them. */
export function nodeHeader(request: NodeRequestLike, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/**
 * The absolute URL a Node request was sent to, as this server saw it: `Host` plus the path
 * (`path`, when the framework rewrote `req.url`, e.g. Express's `originalUrl`). Proxies are the
 * `trustProxy` option's business, not this function's.
 */
export function nodeRequestUrl(
  request: NodeRequestLike,
  path: string = request.url ?? '/',
): string {
  const scheme = (request.socket as { encrypted?: boolean } | null | undefined)?.encrypted
    ? 'https'
    : 'http';
  return `${scheme}://${nodeHeader(request, 'host') ?? 'localhost'}${path}`;
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

/** A Node `ServerResponse`, typed structurally. */
export interface NodeResponseLike {
  readonly statusCode: number;
  readonly writableFinished: boolean;
  once(event: 'finish' | 'close', listener: () => void): unknown;
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
  const settle = () => {
    if (settled) return;
    settled = true;
    const ok = response.writableFinished && response.statusCode >= 200 && response.statusCode < 300;
    void verifier.settle(message, ok);
  };
  response.once('finish', settle);
  response.once('close', settle);
}
