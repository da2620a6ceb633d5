// What this worker accepts, as schemas: Signet validates each signed body with them before a
// handler runs (422, or 489 so QStash stops retrying a body that will never pass).
import { z } from 'zod';

/**
 * What the shop (apps/orders) publishes to the `orders` URL group, which this worker is a member
 * of. The shop keeps its own copy of this type: the message body is the contract.
 */
export const OrderPlaced = z.object({
  type: z.literal('order.placed'),
  order: z.object({
    id: z.number().int().positive(),
    email: z.string().email(),
    quantity: z.number().int().positive(),
    product: z.object({ id: z.number().int(), name: z.string(), priceCents: z.number().int() }),
  }),
});
export type OrderPlaced = z.infer<typeof OrderPlaced>;

/** What the worker publishes to itself, three days after an order. */
export const ReviewReminder = z.object({
  orderId: z.number().int().positive(),
  email: z.string().email(),
  product: z.string(),
});
export type ReviewReminder = z.infer<typeof ReviewReminder>;
