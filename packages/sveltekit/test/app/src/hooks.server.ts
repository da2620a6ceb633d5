import {
  fixtureOptions,
  GUARDED_PREFIX,
  hookRoutes,
  ROUTES,
  reportToCollector,
} from '@signet/conformance/fixture';
import { signatureHandle } from '@signet/sveltekit';
import type { Handle } from '@sveltejs/kit/hooks';
import { sequence } from '@sveltejs/kit/hooks';

type Options = Omit<Parameters<typeof signatureHandle>[0], 'paths'>;

// One hook per fixture route, each with that route's options and its exact path (as the README's
// hook does), composed with sequence(); the `/wrap/...` routes and everything else pass through
// every one of them untouched.
const hooks: Handle[] = hookRoutes.map((route) =>
  signatureHandle({
    paths: `/hook${ROUTES[route]}`,
    ...(fixtureOptions[route](reportToCollector) as Options),
  }),
);
// A whole prefix, whose routes are a dynamic `[name]`.
hooks.push(
  signatureHandle({
    paths: [`/hook${GUARDED_PREFIX}`],
    ...(fixtureOptions.prefixed(reportToCollector) as Options),
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
