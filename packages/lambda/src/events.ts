// The HTTP events Lambda receives, typed structurally (the shapes of `@types/aws-lambda`'s
// APIGatewayProxyEventV2, APIGatewayProxyEvent and LambdaFunctionURLEvent are assignable), and
// what the verifier needs from them: headers, the public URL, the raw body.

/** API Gateway HTTP API (payload format 2.0) and Lambda Function URL events. */
export interface HttpEventV2 {
  version: '2.0' | string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string | undefined>;
  cookies?: string[] | undefined;
  body?: string | undefined;
  isBase64Encoded: boolean;
  requestContext: { domainName: string; http: { method: string } };
}

/** API Gateway REST API (and HTTP API payload format 1.0) events. */
export interface HttpEventV1 {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null | undefined;
  queryStringParameters?: Record<string, string | undefined> | null | undefined;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null | undefined;
  body: string | null;
  isBase64Encoded: boolean;
  requestContext: { domainName?: string | undefined; path?: string | undefined };
}

export type HttpEvent = HttpEventV1 | HttpEventV2;

/** What a handler returns for API Gateway or a Function URL. */
export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean> | undefined;
  body?: string | undefined;
  isBase64Encoded?: boolean | undefined;
}

/** The answer to a refused request: a problem+json result, fit for every API Gateway format. */
export interface ProblemResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function isV2(event: HttpEvent): event is HttpEventV2 {
  return typeof (event as HttpEventV2).rawPath === 'string';
}

/** A header by lower-case name: API Gateway keeps the client's case in v1, lowers it in v2. */
export function eventHeader(event: HttpEvent, name: string): string | undefined {
  if (isV2(event)) {
    if (name === 'cookie' && event.cookies) return event.cookies.join('; ');
    return findHeader(event.headers, name);
  }
  const many = event.multiValueHeaders ? findHeader(event.multiValueHeaders, name) : undefined;
  if (many) return many.join(', ');
  return event.headers ? findHeader(event.headers, name) : undefined;
}

function findHeader<T>(record: Record<string, T | undefined>, name: string): T | undefined {
  const exact = record[name];
  if (exact !== undefined) return exact;
  for (const key of Object.keys(record)) if (key.toLowerCase() === name) return record[key];
  return undefined;
}

/**
 * `?a=1&a=3&b=x%20y`: a query in the only spelling a REST API (v1) event can give, since it
 * carries the parameters decoded and grouped by name, not the query string the client sent.
 * Names keep their order in the object (as JSON.parse gives it), values theirs within a name.
 */
function groupedQuery(groups: Record<string, readonly string[] | undefined>): string {
  const pairs: string[] = [];
  for (const [key, values] of Object.entries(groups)) {
    for (const value of values ?? []) {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    }
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function eventQuery(event: HttpEventV1): string {
  if (event.multiValueQueryStringParameters)
    return groupedQuery(event.multiValueQueryStringParameters);
  const single = event.queryStringParameters ?? {};
  return groupedQuery(
    Object.fromEntries(
      Object.entries(single).map(([key, value]) => [key, value === undefined ? [] : [value]]),
    ),
  );
}

/**
 * The URL a token names, in the spelling of `eventUrl` for a REST API event: its query decoded
 * and grouped the way API Gateway groups it. Two URLs this makes equal (`?a=1&b=2&a=3` and
 * `?a=1&a=3&b=2`, `?flag` and `?flag=`) arrive as the same event, so the handler could not tell
 * them apart anyway.
 */
export function v1ClaimUrl(claimed: string): string {
  const mark = claimed.indexOf('?');
  if (mark === -1) return claimed;
  const hash = claimed.indexOf('#', mark);
  const query = claimed.slice(mark + 1, hash === -1 ? undefined : hash);
  const groups: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    groups[key] = [...(groups[key] ?? []), value];
  }
  return `${claimed.slice(0, mark)}${groupedQuery(groups)}`;
}

/**
 * The URL the client called: always https (API Gateway and Function URLs serve nothing else),
 * the domain API Gateway received the request on, and the path as called. In v2 that is
 * `rawPath` (plus `basePath` for a custom domain's API mapping, which v2 leaves out), in v1
 * `requestContext.path` (stage and mapping included).
 */
export function eventUrl(event: HttpEvent, basePath: string): string {
  if (isV2(event)) {
    const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
    return `https://${event.requestContext.domainName}${basePath}${event.rawPath}${query}`;
  }
  const host = event.requestContext.domainName ?? eventHeader(event, 'host') ?? 'localhost';
  return `https://${host}${event.requestContext.path ?? `${basePath}${event.path}`}${eventQuery(event)}`;
}

/** The body as API Gateway received it: base64-decoded bytes, or the UTF-8 text. */
export function eventBody(event: HttpEvent): string | Uint8Array | null {
  const body = event.body;
  if (body === undefined || body === null) return null;
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : body;
}

/**
 * The status a handler's result answers with: API Gateway v2 and Function URLs turn anything
 * without a `statusCode` into 200 JSON; REST API answers 502 for it (undefined: not a success).
 */
export function resultStatus(event: HttpEvent, result: unknown): number | undefined {
  const status = (result as { statusCode?: unknown } | null | undefined)?.statusCode;
  if (typeof status === 'number') return status;
  return isV2(event) ? 200 : undefined;
}
