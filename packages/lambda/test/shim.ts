// API Gateway in front of the fixture functions: in-process (a Web Request in, a Response out,
// through the same event builder as `@signet/lambda/local`) or over loopback HTTP with `serve`.
import {
  type LocalHandler,
  type PayloadFormat,
  requestEvent,
  resultResponse,
  serve,
} from '../src/local.ts';

export type { PayloadFormat };
export type LambdaHandler = (event: never, context: unknown) => Promise<unknown>;

export function inProcess(
  format: PayloadFormat,
  handler: LambdaHandler,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Array<[string, string]> = [['host', url.host]];
    request.headers.forEach((value, name) => {
      if (name !== 'host') headers.push([name, value]);
    });
    const event = requestEvent(format, {
      method: request.method,
      target: `${url.pathname}${url.search}`,
      headers,
      body: new Uint8Array(await request.arrayBuffer()),
    });
    return resultResponse(await handler(event as never, {}));
  };
}

export async function serveOverHttp(
  format: PayloadFormat,
  handler: LambdaHandler,
): Promise<{ origin: string; close(): Promise<void> }> {
  const { url, close } = await serve(handler as LocalHandler, { port: 0, format });
  return { origin: url, close };
}
