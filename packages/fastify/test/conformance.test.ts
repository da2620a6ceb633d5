import { runConformance } from '@signet/conformance';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { createFixtureApp, type FastifyFactory, listen } from './app.ts';

// The last one routes `/HOOKS//echo/` to `/hooks/echo`: the guard belongs to the route, so every
// spelling the router accepts is verified.
for (const [name, factory] of [
  ['fastify 5', () => fastify5()],
  ['fastify 4', () => fastify4() as unknown as ReturnType<FastifyFactory>],
  [
    'fastify 5, lenient router (case-insensitive, trailing and duplicate slashes ignored)',
    () =>
      fastify5({
        routerOptions: {
          caseSensitive: false,
          ignoreTrailingSlash: true,
          ignoreDuplicateSlashes: true,
        },
      }),
  ],
] as const) {
  const fixture = createFixtureApp(factory);
  runConformance({
    name,
    start: () => listen(fixture.app),
    errors: async () => [...fixture.errors],
    resetErrors: async () => {
      fixture.errors.length = 0;
    },
  });
}
