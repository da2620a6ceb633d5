// The fulfilment of an order as an Upstash Workflow: reserve stock → wait for the payment event
// → ship → sleep (three days by default) → ask for a review. Each step is a delivery from the
// broker; `serve` from `@upstash/workflow/express` verifies each one itself (its `receiver`) and
// replays the recorded results, so a step runs once however often the process restarts.
import type { Client } from '@upstash/qstash';
import { Receiver } from '@upstash/qstash';
import { Client as WorkflowClient } from '@upstash/workflow';
import { serve } from '@upstash/workflow/express';
import { eq } from 'drizzle-orm';
import type { Router } from 'express';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import { orders } from './schema.ts';
import { reservedFor, reserveStock } from './stock.ts';

export const FULFIL_PATH = '/workflows/fulfil';

/** What the run starts with: the trigger's body. */
export interface FulfilmentStart {
  orderId: number;
}

/** What the payment event carries (the Pay button, or later a payment provider's webhook). */
export interface Payment {
  method: string;
  reference: string;
}

/** The event the run waits for: one per order. */
export const paymentEvent = (orderId: number) => `payment-${orderId}`;

// Returns nothing on purpose: a step's return value is recorded as its result, and a query
// builder is not data.
async function setFulfilment(db: Db, orderId: number, fulfilment: string): Promise<void> {
  await db.update(orders).set({ fulfilment }).where(eq(orders.id, orderId));
}

export function fulfilment(db: Db, qstash: Client, config: Config): Router {
  return serve<FulfilmentStart, string>(
    async (context) => {
      const { orderId } = context.requestPayload;
      const held = await context.run('reserve stock', async () => {
        const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
        if (!order) return 0;
        await reserveStock(db, order, null);
        const reserved = (await reservedFor(db, orderId)) ?? 0;
        await setFulfilment(db, orderId, reserved > 0 ? 'awaiting payment' : 'out of stock');
        return reserved;
      });
      if (held === 0) return 'out of stock';

      const payment = await context.waitForEvent('wait for payment', paymentEvent(orderId), {
        timeout: config.paymentWindow,
      });
      if (payment.timeout) {
        await context.run('cancel unpaid order', () => setFulfilment(db, orderId, 'unpaid'));
        return 'unpaid';
      }
      const paid = payment.eventData as Payment;
      await context.run('ship', () => setFulfilment(db, orderId, `shipped (${paid.method})`));
      await context.sleep('wait before asking for a review', config.reviewAfter);
      await context.run('ask for a review', () => setFulfilment(db, orderId, 'review requested'));
      return 'fulfilled';
    },
    {
      url: `${config.appUrl}${FULFIL_PATH}`,
      qstashClient: qstash,
      receiver: new Receiver({
        currentSigningKey: config.signingKeys.current,
        nextSigningKey: config.signingKeys.next,
      }),
      disableTelemetry: true,
    },
  );
}

/** The workflow API (trigger, notify) on the same broker and token as `qstash`. */
export function workflowClient(config: Config): WorkflowClient {
  return new WorkflowClient({
    token: config.qstash.token ?? '',
    ...(config.qstash.url && { baseUrl: config.qstash.url }),
  });
}

/**
 * Starts the order's run unless it has one. The run's failure (its retries exhausted) goes to
 * `/hooks/fulfilment-failed`: a plain QStash callback, so Signet's guard verifies it.
 */
export async function startFulfilment(
  db: Db,
  workflow: WorkflowClient,
  config: Config,
  order: { id: number; runId: string | null },
): Promise<void> {
  if (order.runId) return;
  const { workflowRunId } = await workflow.trigger({
    url: `${config.appUrl}${FULFIL_PATH}`,
    body: { orderId: order.id } satisfies FulfilmentStart,
    // One run per order (the SDK makes it `wfr_order-<id>`).
    workflowRunId: `order-${order.id}`,
    failureUrl: `${config.appUrl}/hooks/fulfilment-failed`,
    label: 'fulfilment',
    disableTelemetry: true,
  });
  await db.update(orders).set({ runId: workflowRunId }).where(eq(orders.id, order.id));
}
