import {
  fixtureOptions,
  type ProtectedRoute,
  ROUTES,
  reportToCollector,
} from '@signet/conformance/fixture';
import { signatureHandle } from '@signet/sveltekit';
import type { Handle } from '@sveltejs/kit/hooks';
import { sequence } from '@sveltejs/kit/hooks';

// One hook per fixture route, each with that route's options, composed with sequence(); the
// `/wrap/...` routes and everything else pass through every one of them untouched.
const hooks: Handle[] = (Object.keys(fixtureOptions) as ProtectedRoute[]).map((route) =>
  signatureHandle({
    paths: `/hook${ROUTES[route]}`,
    ...(fixtureOptions[route](reportToCollector) as Omit<
      Parameters<typeof signatureHandle>[0],
      'paths'
    >),
  }),
);

// Route ids and predicates, for the adapter's own tests.
hooks.push(
  signatureHandle({ paths: ['/misc/by-id/[id]'], ...fixtureOptions.echo(reportToCollector) }),
);
hooks.push(
  signatureHandle({
    paths: (event) => event.url.pathname.endsWith('/guarded'),
    ...fixtureOptions.echo(reportToCollector),
  }),
);

export const handle: Handle = sequence(...hooks);
