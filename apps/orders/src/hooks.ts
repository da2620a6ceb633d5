// Everything under /hooks comes from the broker, verified by one `signature()` for the router.
import { postgresReplayStore } from '@signet/core';
import { signature } from '@signet/express';
import { and, eq, gte, type SQLWrapper, sql } from 'drizzle-orm';
import { type Request, Router } from 'express';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db.ts';
import type { OrderPlaced } from './events.ts';
import { deliveries, products, reservations } from './schema.ts';

/** The JSON QStash posts to a callback (and a failure callback) after an attempt. */
interface CallbackBody {
  status: number;
  retried?: number;
  maxRetries?: number;
  sourceMessageId: string;
  url: string;
  endpointName?: string;
  sourceBody?: string;
  dlqId?: string;
}

/** queued → retrying → delivered | failed, in SQL. */
const rank = (state: SQLWrapper) =>
  sql`(CASE ${state} WHEN 'queued' THEN 0 WHEN 'retrying' THEN 1 ELSE 2 END)`;

export function hooks({ db, sql: client }: DatabaseHandle, config: Config): Router {
  const router = Router();
  router.use(
    signature({
      // The token must name this app's public URL, whatever Host the request claims: QStash
      // signs every app on the account with the same keys.
      origin: config.appUrl,
      // Each token is accepted once: a captured delivery played again is refused (401).
      replay: postgresReplayStore(client, { table: 'signet_replay_orders' }),
      onError: (error, req: Request) =>
        console.warn(`[orders] refused ${req.method} ${req.originalUrl}: ${error.code}`),
    }),
  );

  // A URL group member: take stock for the order, once per order however often it arrives. The
  // order id comes from the signed body; the message id header is not signed, so a redelivery
  // is recognised by what it is about, not by a label anyone could change.
  router.post('/inventory', async (req, res) => {
    const { order } = req.body as OrderPlaced;
    const reserved = await db.transaction(async (tx) => {
      const [claim] = await tx
        .insert(reservations)
        .values({
          orderId: order.id,
          messageId: req.signet?.id ?? null,
          productId: order.product.id,
          quantity: order.quantity,
          reserved: 0,
        })
        .onConflictDoNothing()
        .returning();
      if (!claim) return undefined; // handled before: nothing more to do
      const [taken] = await tx
        .update(products)
        .set({ stock: sql`${products.stock} - ${order.quantity}` })
        .where(and(eq(products.id, order.product.id), gte(products.stock, order.quantity)))
        .returning({ stock: products.stock });
      if (taken)
        await tx
          .update(reservations)
          .set({ reserved: order.quantity })
          .where(eq(reservations.orderId, order.id));
      return Boolean(taken);
    });
    res.json({ order: order.id, reserved: reserved ?? 'already handled' });
  });

  // Callbacks: the broker reports every attempt (status of the member's answer) and, with
  // ?outcome=failed, the end of the retries (the message is in the dead letters). The report,
  // its source message id included, is the signed body.
  router.post('/delivery', async (req, res) => {
    const report = req.body as CallbackBody;
    const failed = req.query.outcome === 'failed';
    const state = failed
      ? 'failed'
      : report.status >= 200 && report.status < 300
        ? 'delivered'
        : 'retrying';
    const orderId = orderIdOf(report);
    if (orderId === undefined) {
      res.status(422).json({ error: 'the callback does not name an order' });
      return;
    }
    // Callbacks are messages too: they can arrive out of order, and at the same time. The state
    // only moves forward, and that is decided inside the one upsert, so two reports cannot race.
    const values = {
      orderId,
      url: report.url,
      endpoint: report.endpointName ?? null,
      state,
      status: report.status,
      retried: report.retried ?? 0,
      dlqId: report.dlqId ?? null,
      updatedAt: new Date(),
    };
    const written = await db
      .insert(deliveries)
      .values({ messageId: report.sourceMessageId, ...values })
      .onConflictDoUpdate({
        target: deliveries.messageId,
        set: { ...values, endpoint: sql`coalesce(excluded.endpoint, ${deliveries.endpoint})` },
        setWhere: sql`${rank(sql`excluded.state`)} > ${rank(deliveries.state)}
          OR (excluded.state = ${deliveries.state} AND excluded.retried >= ${deliveries.retried})`,
      })
      .returning({ state: deliveries.state });
    res.json({ recorded: written.length > 0 ? state : 'older report ignored' });
  });

  return router;
}

function orderIdOf(report: CallbackBody): number | undefined {
  try {
    const event = JSON.parse(
      Buffer.from(report.sourceBody ?? '', 'base64').toString('utf8'),
    ) as OrderPlaced;
    return Number.isSafeInteger(event.order?.id) ? event.order.id : undefined;
  } catch {
    return undefined;
  }
}
