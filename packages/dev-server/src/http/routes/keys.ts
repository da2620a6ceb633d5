import type { Route } from '../context.ts';

export const keyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v2\/keys\/?$/,
    handler: (context) => ({ status: 200, body: context.store.keys.keys }),
  },
  // Next becomes current and a fresh next is made; receivers that accept both keys keep working.
  {
    method: 'POST',
    pattern: /^\/v2\/keys\/rotate$/,
    handler: (context) => ({ status: 200, body: context.store.keys.rotate() }),
  },
];
