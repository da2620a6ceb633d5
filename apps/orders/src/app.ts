import { randomUUID } from 'node:crypto';
import type { Client } from '@upstash/qstash';
import { desc, eq, inArray } from 'drizzle-orm';
import express from 'express';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db.ts';
import { hooks } from './hooks.ts';
import { FAVICON } from './html.ts';
import { Problem, problemHandler } from './problem.ts';
import { parsePurchase, purchase } from './purchase.ts';
import { deliveries, orders, products } from './schema.ts';
import { type OrderRow, ordersPage, shopPage } from './views.ts';

export function createApp(
  database: DatabaseHandle,
  qstash: Client,
  config: Config,
): express.Express {
  const { db } = database;
  const app = express();
  app.disable('x-powered-by');
  // Before any body parser: the signature covers the raw bytes.
  app.use('/hooks', hooks(database, config));
  app.use(express.urlencoded({ extended: false }), express.json());

  app.get('/', async (_req, res) => {
    const all = await db.select().from(products).orderBy(products.id);
    res.type('html').send(shopPage(all, randomUUID));
  });

  app.post('/api/purchase', async (req, res) => {
    const form = req.is('application/x-www-form-urlencoded');
    const input = parsePurchase(req.body ?? {}, req.get('idempotency-key'));
    const { order, repeated, messages } = await purchase(db, qstash, config, input);
    if (form) res.redirect(303, `/orders#order-${order.id}`);
    else res.status(repeated ? 200 : 201).json({ orderId: order.id, repeated, messages });
  });

  app.get('/orders', async (_req, res) => {
    const latest = await db
      .select({ order: orders, product: products })
      .from(orders)
      .innerJoin(products, eq(products.id, orders.productId))
      .orderBy(desc(orders.id))
      .limit(50);
    const ids = latest.map((row) => row.order.id);
    const sent = ids.length
      ? await db
          .select()
          .from(deliveries)
          .where(inArray(deliveries.orderId, ids))
          .orderBy(deliveries.url)
      : [];
    const rows: OrderRow[] = latest.map((row) => ({
      ...row,
      deliveries: sent.filter((delivery) => delivery.orderId === row.order.id),
    }));
    res.type('html').send(ordersPage(rows));
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(FAVICON);
  });
  app.use((_req, _res, next) => next(new Problem(404, 'There is nothing here.')));
  app.use(problemHandler('orders'));
  return app;
}
