// The floor: the fastest honest check written by hand (@signet/test-kit's node:crypto
// floorVerifier, inline), reading the body once and parsing it, with nothing else.
import { floorVerifier } from '@signet/test-kit';
import type { RequestEvent } from '@sveltejs/kit';

const floorVerify = floorVerifier([
  process.env.QSTASH_CURRENT_SIGNING_KEY ?? '',
  process.env.QSTASH_NEXT_SIGNING_KEY ?? '',
]);

export async function POST({ request, url }: RequestEvent): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  try {
    // From the Host header: this app's `url` says https (adapter-node's default protocol).
    floorVerify(
      request.headers.get('upstash-signature') ?? '',
      body,
      `http://${request.headers.get('host')}${url.pathname}`,
    );
  } catch {
    return new Response(null, { status: 401 });
  }
  const order = JSON.parse(body.toString()) as { order: { items: unknown[] } };
  return Response.json({ ok: true, items: order.order.items.length });
}
