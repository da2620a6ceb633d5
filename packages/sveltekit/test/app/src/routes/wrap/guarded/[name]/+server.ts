import { fixtureOptions, reportToCollector } from '@signet/conformance/fixture';
import { verifySignatureSvelte } from '@signet/sveltekit';
import { answer } from '../../../../lib/fixture';
import type { RequestEvent } from './$types';

const handler = verifySignatureSvelte(
  (event: RequestEvent) => answer('prefixed', event.request, event.locals.signet),
  fixtureOptions.prefixed(reportToCollector) as Parameters<typeof verifySignatureSvelte>[1],
);
export const GET = handler;
export const POST = handler;
