// A loopback HTTP server for a framework-free fetch handler (`@upstash/workflow`'s `serve`):
// Node's request as a Web Request in, the Web Response out.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FetchServer {
  origin: string;
  /** Requests being handled right now. */
  active(): number;
  close(): void;
}

type FetchHandler = (request: Request) => Promise<Response>;

/**
 * One handler for several workflows: the first route whose path prefix the request's path starts
 * with, else `fallback`.
 */
export function byPathPrefix(
  routes: readonly (readonly [prefix: string, handler: FetchHandler])[],
  fallback: FetchHandler,
): FetchHandler {
  return (request) => {
    const { pathname } = new URL(request.url);
    return (routes.find(([prefix]) => pathname.startsWith(prefix))?.[1] ?? fallback)(request);
  };
}

export async function startFetchServer(
  handler: (request: Request) => Promise<Response>,
): Promise<FetchServer> {
  let origin = '';
  let active = 0;
  const server = createServer(async (req, res) => {
    active++;
    res.once('close', () => active--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(name, value);
    const body = Buffer.concat(chunks);
    const response = await handler(
      new Request(`${origin}${req.url}`, {
        method: req.method,
        headers,
        ...(body.length > 0 && { body }),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    active: () => active,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}
