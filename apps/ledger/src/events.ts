// What this service accepts: Signet validates each signed body against it before the handler
// runs (489 for a body that will never pass, so QStash sends it to the dead letters at once).
import { z } from 'zod';

/**
 * What the shop (apps/orders) publishes to the `orders` URL group, which this service is a
 * member of. The shop keeps its own copy of this type: the message body is the contract.
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
