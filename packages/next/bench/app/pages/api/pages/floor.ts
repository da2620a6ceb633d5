import type { NextApiRequest, NextApiResponse } from 'next';
import { floorVerify } from '../../../lib/floor';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  try {
    floorVerify(
      String(req.headers['upstash-signature'] ?? ''),
      body,
      `http://${req.headers.host}${req.url}`,
    );
  } catch {
    res.status(401).end();
    return;
  }
  const order = JSON.parse(body.toString()) as { order: { items: unknown[] } };
  res.status(200).json({ ok: true, items: order.order.items.length });
}

export const config = { api: { bodyParser: false } };
