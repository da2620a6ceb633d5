import { handler } from '../../../lib/handler';

// Guarded by the hook in hooks.server.ts.
export const POST = handler;
