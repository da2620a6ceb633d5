import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, request }) =>
  Response.json({ verified: locals.signet !== undefined, body: await request.text() });
