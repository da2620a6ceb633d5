// `@signet/lambda/local`: run a Lambda handler on this machine behind a stand-in for API Gateway
// or a Function URL, so `signet dev` (or curl) can call it over HTTP. Each request becomes the
// event AWS would send (payload format 2.0 or 1.0, shaped like the documented examples), and the
// handler's result the HTTP response. For development and tests, not production.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpEventV1, HttpEventV2, HttpResult } from './events.ts';

/** `'2.0'`: HTTP API and Function URLs; `'1.0'`: REST API. */
export type PayloadFormat = '2.0' | '1.0';

/** An HTTP request as it arrived: the target as sent, headers as sent, the whole body. */
export interface RawRequest {
  method: string;
  /** The request target: `/hooks/order?x=1`. */
  target: string;
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body: Uint8Array;
}

/** API Gateway base64-encodes bodies that are not text. */
function isText(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json');
}

function split(target: string): { path: string; query: string } {
  const mark = target.indexOf('?');
  return mark === -1
    ? { path: target, query: '' }
    : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}

const REQUEST_TIME = { time: '01/Jan/2026:00:00:00 +0000', timeEpoch: 1767225600000 };

function v2Event(
  request: RawRequest,
  lower: Map<string, string[]>,
  domainName: string,
  body: { text: string | undefined; base64: boolean },
) {
  const { path, query } = split(request.target);
  const params = new URLSearchParams(query);
  const headers: Record<string, string> = {};
  for (const [name, values] of lower) if (name !== 'cookie') headers[name] = values.join(',');
  return {
    version: '2.0' as const,
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    cookies: lower.get('cookie')?.flatMap((line) => line.split(/;\s*/)),
    headers,
    queryStringParameters: query
      ? Object.fromEntries([...params.keys()].map((key) => [key, params.getAll(key).join(',')]))
      : undefined,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: lower.get('user-agent')?.[0] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      ...REQUEST_TIME,
    },
    body: body.text,
    isBase64Encoded: body.base64,
  };
}

function v1Event(
  request: RawRequest,
  domainName: string,
  body: { text: string | undefined; base64: boolean },
) {
  const { path, query } = split(request.target);
  // REST API keeps the client's header case: the last value in `headers`, all of them in
  // `multiValueHeaders`; the query arrives decoded and grouped by name.
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const grouped: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    grouped[key] = [...(grouped[key] ?? []), value];
  }
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(grouped).map(([key, values]) => [key, values.at(-1)]))
      : null,
    multiValueQueryStringParameters: query ? grouped : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName,
      httpMethod: request.method,
      path,
      protocol: 'HTTP/1.1',
      requestId: crypto.randomUUID(),
      requestTimeEpoch: REQUEST_TIME.timeEpoch,
      resourcePath: '/{proxy+}',
      stage: '$default',
      identity: { sourceIp: '127.0.0.1' },
    },
    body: body.text ?? null,
    isBase64Encoded: body.base64,
  };
}

/** The event API Gateway (or a Function URL, for `'2.0'`) would send the handler for `request`. */
export function requestEvent(format: '2.0', request: RawRequest): HttpEventV2;
export function requestEvent(format: '1.0', request: RawRequest): HttpEventV1;
export function requestEvent(format: PayloadFormat, request: RawRequest): HttpEventV1 | HttpEventV2;
export function requestEvent(
  format: PayloadFormat,
  request: RawRequest,
): HttpEventV1 | HttpEventV2 {
  const lower = new Map<string, string[]>();
  for (const [name, value] of request.headers) {
    const key = name.toLowerCase();
    lower.set(key, [...(lower.get(key) ?? []), value]);
  }
  const domainName = lower.get('host')?.[0] ?? 'localhost';
  const text = isText(lower.get('content-type')?.[0]);
  const bytes = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  const body = {
    text: bytes.length === 0 ? undefined : text ? bytes.toString('utf8') : bytes.toString('base64'),
    base64: bytes.length > 0 && !text,
  };
  // Built as object literals and checked against the event types here: the documented events
  // carry more than the verifier reads, and a handler may read all of it.
  return format === '2.0'
    ? v2Event(request, lower, domainName, body)
    : v1Event(request, domainName, body);
}

/** The HTTP response API Gateway makes of a handler's result. */
export function resultResponse(result: unknown): Response {
  const { statusCode, headers, body, isBase64Encoded } = (result ?? {}) as Partial<HttpResult>;
  // HTTP API and Function URLs answer anything else as 200 JSON.
  if (typeof statusCode !== 'number') return Response.json(result ?? null);
  const bytes = body === undefined ? null : isBase64Encoded ? Buffer.from(body, 'base64') : body;
  const init = { status: statusCode, headers: headers as Record<string, string> | undefined };
  return new Response(statusCode === 204 || statusCode === 304 ? null : bytes, init);
}

/** A handler as Lambda calls it (the context here is an empty object). */
export type LocalHandler = (event: never, context: never) => unknown;

export interface ServeOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  hostname?: string;
  /** Default `'2.0'` (HTTP API, Function URLs). */
  format?: PayloadFormat;
}

async function readAll(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Serves `handler` on `http://127.0.0.1:3000`: every request is read whole (as API Gateway does),
 * turned into an event, and the result into the response. A thrown handler answers 500, as API
 * Gateway does. Resolves once listening, with the URL and a `close()`.
 *
 * @example
 * ```ts
 * import { serve } from '@signet/lambda/local';
 * import { handler } from './handler.mts';
 *
 * await serve(handler, { port: 3000 });
 * ```
 */
export async function serve(
  handler: LocalHandler,
  options: ServeOptions = {},
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const { port = 3000, hostname = '127.0.0.1', format = '2.0' } = options;
  const server = createServer(async (req, res) => {
    // API Gateway takes origin-form targets only (`/path`), as any CDN in front of it does.
    if (!req.url?.startsWith('/')) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"Bad Request"}');
      return;
    }
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
    }
    const event = requestEvent(format, {
      method: req.method ?? 'GET',
      target: req.url,
      headers,
      body: await readAll(req),
    });
    let response: Response;
    try {
      response = resultResponse(await handler(event as never, {} as never));
    } catch (error) {
      console.error('@signet/lambda/local: the handler threw', error);
      response = Response.json({ message: 'Internal Server Error' }, { status: 500 });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
