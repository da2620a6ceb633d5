// The one handler every route runs: parse the order, answer with its item count. The routes
// differ only in what stands in front of it.
export async function handler(request: Request): Promise<Response> {
  const body = (await request.json()) as { order: { items: unknown[] } };
  return Response.json({ ok: true, items: body.order.items.length });
}
