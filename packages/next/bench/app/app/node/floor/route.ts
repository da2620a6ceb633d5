import { floorVerify } from '../../../lib/floor';

export async function POST(request: Request): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  const { pathname } = new URL(request.url);
  try {
    floorVerify(
      request.headers.get('upstash-signature') ?? '',
      body,
      `http://${request.headers.get('host')}${pathname}`,
    );
  } catch {
    return new Response(null, { status: 401 });
  }
  const order = JSON.parse(body.toString()) as { order: { items: unknown[] } };
  return Response.json({ ok: true, items: order.order.items.length });
}
