import { KEYS, OrderSchema } from '@signet/conformance/fixture';
import { getMessage, withSignature } from '@signet/solidstart';
import type { z } from 'zod';

export const POST = withSignature(
  async (event) => {
    const { orderId } = getMessage<z.infer<typeof OrderSchema>>(event).data;
    return Response.json({ orderId });
  },
  { ...KEYS, schema: OrderSchema },
);
