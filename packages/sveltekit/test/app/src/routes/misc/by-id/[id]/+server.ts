import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ locals, params }) =>
  Response.json({ id: params.id, verified: locals.signet !== undefined });
