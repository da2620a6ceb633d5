import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { runConformance } from '@signet/conformance';
import { Hono } from 'hono';
import { Hono as Hono46 } from 'hono46';
import { createFixtureApp } from './app.ts';

// Both ends of the peer range (`hono >=4.6`): the request object, the body cache and
// `c.env.incoming` the adapter works with are those of the app's Hono.
for (const [version, HonoClass] of [
  ['4.6.0', Hono46 as unknown as typeof Hono],
  ['latest', Hono],
] as const) {
  const onNode = createFixtureApp(HonoClass);
  runConformance({
    name: `hono ${version} on @hono/node-server`,
    start: () =>
      new Promise((resolve) => {
        const server = serve(
          { fetch: onNode.app.fetch, hostname: '127.0.0.1', port: 0 },
          (info: AddressInfo) => {
            resolve({
              origin: `http://127.0.0.1:${info.port}`,
              close: () => new Promise<void>((done) => server.close(() => done())),
            });
          },
        );
      }),
    errors: async () => [...onNode.errors],
    resetErrors: async () => {
      onNode.errors.length = 0;
    },
  });

  // A Web-standard runtime (Bun, Deno, Workers): the same app through app.request, no Node server.
  const onWeb = createFixtureApp(HonoClass);
  runConformance({
    name: `hono ${version} through app.request (Web-standard runtime)`,
    start: async () => ({ origin: 'http://hono.test', close: async () => {} }),
    transport: async (request) => onWeb.app.request(request),
    errors: async () => [...onWeb.errors],
    resetErrors: async () => {
      onWeb.errors.length = 0;
    },
  });
}
