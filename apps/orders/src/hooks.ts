// Everything under /hooks comes from the broker, verified by one `app.use('/hooks', signature())`.
import type { OrderPlaced } from '@signet/demo-kit/events';
import { signature } from '@signet/express';
import { and, eq, gte, type SQLWrapper, sql } from 'drizzle-orm';
import { type Request, Router } from 'express';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
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

export function hooks(db: Db, config: Config): Router {
  const router = Router();
  // QStash signs the public URL; behind a proxy the app may see another one.
  router.use(signature({ url: (req: Request) => `${config.appUrl}${req.originalUrl}` }));

  // A URL group member: take stock for the order, once per message however often it arrives.
  router.post('/inventory', async (req, res) => {
    const { order } = req.body as OrderPlaced;
    const messageId = req.signet?.id ?? `jti:${String(req.signet?.claims.jti)}`;
    const reserved = await db.transaction(async (tx) => {
      const [claim] = await tx
        .insert(reservations)
        .values({
          messageId,
          orderId: order.id,
          productId: order.product.id,
          quantity: order.quantity,
          reserved: 0,
        })
        .onConflictDoNothing()
        .returning();
      if (!claim) return undefined; // seen before: nothing more to do
      const [taken] = await tx
        .update(products)
        .set({ stock: sql`${products.stock} - ${order.quantity}` })
        .where(and(eq(products.id, order.product.id), gte(products.stock, order.quantity)))
        .returning({ stock: products.stock });
      if (taken)
        await tx
          .update(reservations)
          .set({ reserved: order.quantity })
          .where(eq(reservations.messageId, messageId));
      return Boolean(taken);
    });
    res.json({ order: order.id, reserved: reserved ?? 'already handled' });
  });

  // Callbacks: the broker reports every attempt (status of the member's answer) and, with
  // ?outcome=failed, the end of the retries (the message is in the dead letters).
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
