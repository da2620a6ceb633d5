import { echo } from '@signet/conformance/fixture';
import type { NextApiRequest, NextApiResponse } from 'next';

export const config = { api: { bodyParser: false } };

export default async function open(req: NextApiRequest, res: NextApiResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  res.json(
    echo('open', req.method ?? 'GET', undefined, {
      kind: 'text',
      value: Buffer.concat(chunks).toString(),
    }),
  );
}
