import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from '../delivery/dispatcher.ts';
import { ApiError, badRequest } from '../errors.ts';
import { ID_PATTERN, LIMITS, wholeNumber } from '../publish/limits.ts';
import type { Store } from '../store/store.ts';

/** What a route handler gets: the request, already split, and the broker. */
export interface Context {
  request: IncomingMessage;
  /** The request path exactly as sent (not normalized: destinations like `https://…` live in it). */
  path: string;
  /** The raw query string including `?`, or ''. For a publish it belongs to the destination URL. */
  search: string;
  query: URLSearchParams;
  store: Store;
  dispatcher: Dispatcher;
  /** The publisher's address, passed on as `Upstash-Caller-Ip`. */
  callerIp: string | undefined;
  /** The largest message body the broker accepts. */
  maxBodyBytes: number;
  /** The request body; at most `limit` bytes (default `maxBodyBytes`), else a 400. */
  body(limit?: number): Promise<Uint8Array>;
  json(limit?: number): Promise<unknown>;
}

export interface Reply {
  status: number;
  /** Sent as JSON; undefined sends no body. */
  body?: unknown;
}

export type Handler = (context: Context, params: string[]) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  /** Matched against `Context.path`; capture groups are passed to the handler as sent. */
  pattern: RegExp;
  handler: Handler;
  /** Answers without the bearer token (a workflow's webhook, called by a third party). */
  public?: boolean;
  /** Answers only paths no other route serves (the 501s for what is not offered). */
  fallback?: boolean;
}

/**
 * Reads the request body, refusing more than `limit` bytes without buffering them: past the
 * limit the request stops being read (the sender is held back by TCP) and the 413 closes the
 * connection, so the rest is never received.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', (error) =>
      reject(badRequest(`the request body could not be read: ${error.message}`)),
    );
  });
}

function tooLarge(limit: number): ApiError {
  return new ApiError(
    413,
    `the request body is larger than the ${limit}-byte limit (start signet dev with --max-body to raise a message's limit)`,
  );
}

export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw badRequest('the body must be JSON');
  }
}

/** A query parameter that must be a whole number, when present. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  return wholeNumber(value, `the "${name}" parameter`, LIMITS.queryInteger);
}

/** A query parameter, or undefined when missing or empty. */
export function param(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/** A queue, URL group or schedule name: letters, digits and a few separators. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw badRequest(
      `${JSON.stringify(name)} is not a valid ${what}: use letters, digits, "_", "-" or "."`,
    );
  }
  return name;
}

/** A name from the path: URI-decoded and checked. */
export function pathName(raw: string | undefined, what: string): string {
  try {
    return checkName(decodeURIComponent(raw ?? ''), what);
  } catch (error) {
    if (error instanceof URIError)
      throw badRequest(`the ${what} in the path is not valid percent-encoding`);
    throw error;
  }
}

/** An id from the path (a workflow run, an event, a flow-control key): URI-decoded and checked. */
export function pathId(raw: string | undefined, what: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw ?? '');
  } catch {
    throw badRequest(`the ${what} in the path is not valid percent-encoding`);
  }
  if (!ID_PATTERN.test(id)) throw badRequest(`${JSON.stringify(id)} is not a valid ${what}`);
  return id;
}

/** The request's headers as name/value pairs, repeated headers joined. */
export function requestHeaders(context: Context): [string, string][] {
  return Object.entries(context.request.headers).flatMap(([name, value]) =>
    value === undefined
      ? []
      : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
  );
}

/** `/v2/publish/https://…?x=1`: the destination is the rest of the path, and the query string is its own. */
export function destinationOf(context: Context, raw: string): string {
  // A percent-encoded destination (`https%3A%2F%2F…`) is accepted too.
  if (!/^https?%3A/i.test(raw)) return raw + context.search;
  try {
    return decodeURIComponent(raw) + context.search;
  } catch {
    throw badRequest('the destination in the path is not valid percent-encoding');
  }
}
