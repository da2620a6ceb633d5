// A purchase: store the order (once per idempotency key), then announce it to every service in
// the URL group. A retried purchase publishes again with the same deduplication id, so the broker
// delivers each order to each service once, even when the first publish was lost.
import { randomUUID } from 'node:crypto';
import type { Client } from '@upstash/qstash';
import { eq } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { OrderPlaced } from './events.ts';
import { Problem } from './problem.ts';
import { deliveries, orders, products } from './schema.ts';

export interface PurchaseInput {
  productId: number;
  quantity: number;
  email: string;
  requestId?: string | undefined;
}

export function parsePurchase(
  body: Record<string, unknown>,
  idempotencyKey?: string,
): PurchaseInput {
  const productId = Number(body.productId);
  const quantity = Number(body.quantity ?? 1);
  const email = String(body.email ?? '').trim();
  if (!Number.isSafeInteger(productId) || productId < 1)
    throw new Problem(422, 'productId must be a product id');
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 10)
    throw new Problem(422, 'quantity must be 1 to 10');
  // As strict as the services that receive the event (zod's email: a dotted domain, a TLD of two
  // letters or more): an address they refuse would put the order in their dead letters.
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[A-Za-z]{2,}$/.test(email) || email.length > 200)
    throw new Problem(422, 'email must be an email address');
  const requestId =
    idempotencyKey ?? (typeof body.requestId === 'string' ? body.requestId : undefined);
  if (requestId !== undefined && !/^[\w-]{8,100}$/.test(requestId))
    throw new Problem(422, 'requestId must be 8 to 100 letters, digits, - or _');
  return { productId, quantity, email, requestId };
}

export async function purchase(db: Db, qstash: Client, config: Config, input: PurchaseInput) {
  const [product] = await db.select().from(products).where(eq(products.id, input.productId));
  if (!product) throw new Problem(404, `no product ${input.productId}`);
  const requestId = input.requestId ?? randomUUID();
  const [created] = await db
    .insert(orders)
    .values({ requestId, productId: product.id, quantity: input.quantity, email: input.email })
    .onConflictDoNothing({ target: orders.requestId })
    .returning();
  const order =
    created ?? (await db.select().from(orders).where(eq(orders.requestId, requestId)))[0];
  if (!order) throw new Problem(500, 'the order vanished');

  const event: OrderPlaced = {
    type: 'order.placed',
    order: {
      id: order.id,
      email: order.email,
      quantity: order.quantity,
      product: { id: product.id, name: product.name, priceCents: product.priceCents },
    },
  };
  const published = await qstash
    .publishJSON({
      urlGroup: config.urlGroup,
      body: event,
      deduplicationId: `order-${order.id}`,
      callback: `${config.appUrl}/hooks/delivery`,
      failureCallback: `${config.appUrl}/hooks/delivery?outcome=failed`,
    })
    .catch((error: Error) => {
      console.warn(`[orders] order ${order.id} saved but not announced: ${error.message}`);
      throw new Problem(
        503,
        'The order is saved but could not be announced yet; send the same request again.',
      );
    });
  const messages = (Array.isArray(published) ? published : [published]) as {
    messageId: string;
    url?: string;
  }[];
  if (messages.length > 0) {
    await db
      .insert(deliveries)
      .values(
        messages.map((message) => ({
          messageId: message.messageId,
          orderId: order.id,
          url: message.url ?? '',
          state: 'queued',
        })),
      )
      .onConflictDoNothing();
  }
  return { order, repeated: !created, messages };
}
