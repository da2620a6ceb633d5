import { verifySignature } from '@signet/next';
import type { NextApiRequest, NextApiResponse } from 'next';

export default verifySignature((req: NextApiRequest, res: NextApiResponse) => {
  const body = req.body as { order: { items: unknown[] } };
  res.status(200).json({ ok: true, items: body.order.items.length });
});

export const config = { api: { bodyParser: false } };
