import { answer } from '../../../../lib/fixture';
import type { RequestHandler } from './$types';

// Protected by the prefix hook in hooks.server.ts (`paths: ['/hook/guarded']`).
const handler: RequestHandler = ({ request, locals }) => answer('prefixed', request, locals.signet);
export const GET = handler;
export const POST = handler;
