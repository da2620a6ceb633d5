import { json } from '@sveltejs/kit';
import { cache } from '#lib/server/app.ts';
import type { RequestHandler } from './$types';

// Reached only through the signature hook, with a validated body. The answer tells the broker
// what to do next: 2xx is done, 5xx is "try again later".
export const POST: RequestHandler = async ({ locals }) => {
  const { id } = locals.signet?.data ?? { id: 0 };
  try {
    // A movie the origin no longer has is removed, and answered 200: retrying cannot help.
    return json({ id, result: await cache.refresh(id) });
  } catch (error) {
    console.warn(`[movies] refresh of movie ${id} failed: ${(error as Error).message}`);
    return json(
      { id, error: 'the origin or the cache is not available; the broker will retry' },
      { status: 503 },
    );
  }
};
