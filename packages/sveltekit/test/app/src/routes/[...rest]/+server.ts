import { FALLBACK_ROUTE } from '@signet/conformance/fixture';
import type { RequestHandler } from './$types';

// Everything no other route takes: a 2xx from a handler nobody guards, as many apps have.
const handler: RequestHandler = () => Response.json({ route: FALLBACK_ROUTE });
export const GET = handler;
export const POST = handler;
