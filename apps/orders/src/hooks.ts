// Everything under /hooks comes from the broker, verified by one `signature()` for the router.
import { postgresReplayStore } from '@signet/core';
import { signature } from '@signet/express';
import { eq, type SQLWrapper, sql } from 'drizzle-orm';
import { type Request, Router } from 'express';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db.ts';
import type { OrderPlaced } from './events.ts';
import type { FulfilmentStart } from './fulfilment.ts';
import { deliveries, orders } from './schema.ts';
import { reserveStock } from './stock.ts';

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

/** Signet's guard for whatever the broker calls here, with its own replay table. */
export function guard({ sql: client }: DatabaseHandle, config: Config, table: string) {
  return signature({
    // The token must name this app's public URL, whatever Host the request claims: QStash
    // signs every app on the account with the same keys.
    origin: config.appUrl,
    // Each token is accepted once: a captured delivery played again is refused (401).
    replay: postgresReplayStore(client, { table }),
    onError: (error, req: Request) =>
      console.warn(`[orders] refused ${req.method} ${req.originalUrl}: ${error.code}`),
  });
}

export function hooks(database: DatabaseHandle, config: Config): Router {
  const { db } = database;
  const router = Router();
  router.use(guard(database, config, 'signet_replay_orders'));

  // A URL group member: take stock for the order, once per order however often it arrives. The
  // order id comes from the signed body; the message id header is not signed, so a redelivery
  // is recognised by what it is about, not by a label anyone could change.
  router.post('/inventory', async (req, res) => {
    const { order } = req.body as OrderPlaced;
    const reserved = await reserveStock(
      db,
      { id: order.id, quantity: order.quantity, productId: order.product.id },
      req.signet?.id ?? null,
    );
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

  // The fulfilment workflow's failureUrl: the broker calls it when a step has used up its
  // retries. It is a plain QStash callback, so this guard (not the workflow's `serve`) verifies
  // it; the signed body names the run and carries the trigger's payload.
  router.post('/fulfilment-failed', async (req, res) => {
    const report = req.body as CallbackBody & { workflowRunId?: string };
    const start = decoded<FulfilmentStart>(report.sourceBody);
    if (!Number.isSafeInteger(start?.orderId)) {
      res.status(422).json({ error: 'the failure report does not name an order' });
      return;
    }
    await db
      .update(orders)
      .set({ fulfilment: `failed (status ${report.status})` })
      .where(eq(orders.id, start?.orderId as number));
    res.json({ recorded: report.workflowRunId });
  });

  return router;
}

/** The JSON in a base64 field of a callback, or undefined. */
function decoded<T>(base64: string | undefined): T | undefined {
  try {
    return JSON.parse(Buffer.from(base64 ?? '', 'base64').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function orderIdOf(report: CallbackBody): number | undefined {
  const id = decoded<OrderPlaced>(report.sourceBody)?.order?.id;
  return Number.isSafeInteger(id) ? id : undefined;
}
