// Taking stock for an order, once per order: the URL group's inventory hook and the fulfilment
// workflow's first step both call this, and whichever comes second finds the claim and does
// nothing. The order id is what keys it: it comes from signed data, never from a delivery header.
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { OrderPlaced } from './events.ts';
import { products, reservations } from './schema.ts';

/** true: reserved now; false: not enough stock; undefined: handled before. */
export async function reserveStock(
  db: Db,
  order: Pick<OrderPlaced['order'], 'id' | 'quantity'> & { productId: number },
  messageId: string | null,
): Promise<boolean | undefined> {
  return db.transaction(async (tx) => {
    const [claim] = await tx
      .insert(reservations)
      .values({
        orderId: order.id,
        messageId,
        productId: order.productId,
        quantity: order.quantity,
        reserved: 0,
      })
      .onConflictDoNothing()
      .returning();
    if (!claim) return undefined;
    const [taken] = await tx
      .update(products)
      .set({ stock: sql`${products.stock} - ${order.quantity}` })
      .where(and(eq(products.id, order.productId), gte(products.stock, order.quantity)))
      .returning({ stock: products.stock });
    if (taken)
      await tx
        .update(reservations)
        .set({ reserved: order.quantity })
        .where(eq(reservations.orderId, order.id));
    return Boolean(taken);
  });
}

/** The quantity held for the order (0: none could be), or undefined when nothing ran yet. */
export async function reservedFor(db: Db, orderId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ reserved: reservations.reserved })
    .from(reservations)
    .where(eq(reservations.orderId, orderId));
  return row?.reserved;
}
