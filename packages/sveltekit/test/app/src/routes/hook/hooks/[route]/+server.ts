import { answer } from '../../../../lib/fixture';
import type { RequestHandler } from './$types';

// Protected by the hook in hooks.server.ts.
const handler: RequestHandler = ({ params, request, locals }) =>
  answer(params.route, request, locals.signet);
export const GET = handler;
export const POST = handler;
