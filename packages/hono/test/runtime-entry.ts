// The Hono fixture as Bun, Deno and workerd serve it (the Workers module format): the conformance
// routes with their keys passed in, their onError reports readable at /__errors, and one route
// whose keys come from the runtime itself (process.env on Bun and Deno, bindings on workerd).
import { Hono } from 'hono';
import { type SignetEnv, signature } from '../src/index.ts';
import { createFixtureApp } from './app.ts';

const { app, errors } = createFixtureApp();

const fromEnvironment = new Hono<SignetEnv>();
fromEnvironment.post('/env/echo', signature(), (c) =>
  c.json({ id: c.get('signet').id, text: c.get('signet').text(), url: c.get('signet').url }),
);

export default {
  fetch(request: Request, env?: unknown, context?: unknown): Response | Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/__errors') {
      if (request.method === 'DELETE') errors.length = 0;
      return Response.json(errors);
    }
    if (pathname === '/env/echo') {
      return fromEnvironment.fetch(request, env as never, context as never);
    }
    return app.fetch(request, env as never, context as never);
  },
};
