import { verifySignature } from '@upstash/qstash/nextjs';
import type { NextApiRequest, NextApiResponse } from 'next';

// The official helper reads the raw stream and leaves the body unparsed: parse it as its README
// says.
export default verifySignature((req: NextApiRequest, res: NextApiResponse) => {
  const body = (typeof req.body === 'string' ? JSON.parse(req.body) : req.body) as {
    order: { items: unknown[] };
  };
  res.status(200).json({ ok: true, items: body.order.items.length });
});

export const config = { api: { bodyParser: false } };
