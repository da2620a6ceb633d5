import { randomUUID } from 'node:crypto';
import type { Client } from '@upstash/qstash';
import { desc, eq, inArray } from 'drizzle-orm';
import express from 'express';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db.ts';
import { FULFIL_PATH, fulfilment, startFulfilment, workflowClient } from './fulfilment.ts';
import { guard, hooks } from './hooks.ts';
import { FAVICON } from './html.ts';
import { paymentSucceeded, payments, STRIPE_PATH, sendPayment } from './payments.ts';
import { Problem, problemHandler } from './problem.ts';
import { parsePurchase, purchase } from './purchase.ts';
import { deliveries, orders, products } from './schema.ts';
import { type OrderRow, ordersPage, shopPage } from './views.ts';

/** Where runs can be watched: `signet dev` shows them at its root; hosted QStash in its console. */
const runsPage = (config: Config) =>
  config.qstash.url && !config.qstash.url.includes('upstash.io') ? config.qstash.url : undefined;

export function createApp(
  database: DatabaseHandle,
  qstash: Client,
  config: Config,
): express.Express {
  const { db } = database;
  const workflow = workflowClient(config);
  const app = express();
  app.disable('x-powered-by');
  // Before any body parser: the signature covers the raw bytes.
  app.use('/hooks', hooks(database, config));
  if (config.stripeWebhookSecret)
    app.use(STRIPE_PATH, payments(database, workflow, config.stripeWebhookSecret));
  // The workflow's `serve` checks the signature against the body only: a token the broker
  // signed for any other URL of the account would start or advance a run, as often as it is
  // played within its lifetime. Signet's guard in front binds it to this URL and refuses replays;
  // it also leaves `req.body` parsed, which is what the workflow's Express adapter reads.
  app.use(
    FULFIL_PATH,
    guard(database, config, 'signet_replay_fulfilment'),
    fulfilment(db, qstash, config),
  );
  app.use(express.urlencoded({ extended: false }), express.json());

  app.get('/', async (_req, res) => {
    const all = await db.select().from(products).orderBy(products.id);
    res.type('html').send(shopPage(all, randomUUID));
  });

  app.post('/api/purchase', async (req, res) => {
    const form = req.is('application/x-www-form-urlencoded');
    const input = parsePurchase(req.body ?? {}, req.get('idempotency-key'));
    const { order, repeated, messages } = await purchase(db, qstash, config, input);
    // The order is saved and announced: a run that cannot start now starts when the same
    // purchase is sent again (the run id is the order's, so there is never a second run).
    await startFulfilment(db, workflow, config, order).catch((error: Error) =>
      console.warn(`[orders] order ${order.id}: fulfilment not started: ${error.message}`),
    );
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
    res.type('html').send(ordersPage(rows, runsPage(config)));
  });

  // The Pay button: in place of Stripe's checkout, the event Stripe sends when the payment went
  // through, signed with the webhook secret, to this app's own Stripe webhook.
  app.post('/orders/:id/pay', async (req, res) => {
    const id = Number(req.params.id);
    const [row] = Number.isSafeInteger(id)
      ? await db
          .select({ order: orders, product: products })
          .from(orders)
          .innerJoin(products, eq(products.id, orders.productId))
          .where(eq(orders.id, id))
      : [];
    if (!row) throw new Problem(404, `no order ${req.params.id}`);
    if (row.order.fulfilment !== 'awaiting payment')
      throw new Problem(409, `order ${id} is not awaiting payment (${row.order.fulfilment})`);
    if (!config.stripeWebhookSecret)
      throw new Problem(503, 'Payments are off: set STRIPE_WEBHOOK_SECRET.');
    const event = paymentSucceeded(id, row.product.priceCents * row.order.quantity);
    const status = await sendPayment(config, config.stripeWebhookSecret, event);
    if (status !== 200) throw new Problem(502, `the Stripe webhook answered ${status}`);
    if (req.is('json')) res.status(202).json({ orderId: id, event: event.id });
    else res.redirect(303, `/orders#order-${id}`);
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
