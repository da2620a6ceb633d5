import type { NextApiRequest, NextApiResponse } from 'next';

// Next's own body parser, as an unguarded Pages route has it.
export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const body = req.body as { order: { items: unknown[] } };
  res.status(200).json({ ok: true, items: body.order.items.length });
}
