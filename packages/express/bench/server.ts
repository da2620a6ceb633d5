// The benchmark server: the same handler behind no verification, Signet, and the official Receiver.
import type { AddressInfo } from 'node:net';
import { floorVerify } from '@signet/conformance';
import { KEYS } from '@signet/conformance/fixture';
import { Receiver } from '@upstash/qstash';
import express, { type NextFunction, type Request, type Response } from 'express';
import { signature } from '../src/index.ts';

const app = express();
const handler = (req: Request, res: Response) => {
  res.json({ ok: true, items: (req.body as { order: { items: unknown[] } }).order.items.length });
};

const receiver = new Receiver(KEYS);
async function officialVerify(req: Request, res: Response, next: NextFunction) {
  try {
    const body = (req.body as Buffer).toString('utf8');
    await receiver.verify({
      signature: req.header('upstash-signature') ?? '',
      body,
      url: `http://${req.headers.host}${req.originalUrl}`,
    });
    req.body = JSON.parse(body);
    next();
  } catch {
    res.status(401).end();
  }
}

function floor(req: Request, res: Response, next: NextFunction) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    try {
      floorVerify(
        req.header('upstash-signature') ?? '',
        body,
        `http://${req.headers.host}${req.originalUrl}`,
      );
    } catch {
      res.status(401).end();
      return;
    }
    req.body = JSON.parse(body.toString());
    next();
  });
}

app.post('/unverified', express.json(), handler);
app.post('/floor', floor, handler);
app.post('/signet', signature(KEYS), handler);
app.post('/official', express.raw({ type: '*/*' }), officialVerify, handler);

const server = app.listen(0, '127.0.0.1', () =>
  console.log(`PORT ${(server.address() as AddressInfo).port}`),
);
