// The one handler every route runs: parse the order, answer with its item count. The routes
// differ only in what stands in front of it.
import type { RequestEvent } from '@sveltejs/kit';

export async function handler({ request }: RequestEvent): Promise<Response> {
  const body = (await request.json()) as { order: { items: unknown[] } };
  return Response.json({ ok: true, items: body.order.items.length });
}
