import { fixtureOptions, hookRoutes, reportToCollector } from '@signet/conformance/fixture';
import { verifySignatureSvelte } from '@signet/sveltekit';
import { answer } from '../../../../lib/fixture';
import type { RequestEvent, RequestHandler } from './$types';

// Protected by verifySignatureSvelte, one wrapper per fixture route.
const wrapped = Object.fromEntries(
  hookRoutes.map((route) => [
    route === 'throws' ? 'throw' : route,
    verifySignatureSvelte(
      (event: RequestEvent) => answer(event.params.route, event.request, event.locals.signet),
      fixtureOptions[route](reportToCollector) as Parameters<typeof verifySignatureSvelte>[1],
    ),
  ]),
);

const handler: RequestHandler = (event) => {
  const route = wrapped[event.params.route];
  return route ? route(event) : new Response('no such fixture route', { status: 404 });
};
export const GET = handler;
export const POST = handler;
