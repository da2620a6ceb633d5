import { integer, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * Emails "sent": written here instead of to an SMTP server. One of each kind per order: the order
 * id comes from the signed body, so a redelivery (or a replay) finds its email already there.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    /** The delivery that wrote it (for the record; not signed, so never a key). */
    messageId: text('message_id'),
    kind: text('kind').notNull(),
    orderId: integer('order_id').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique('outbox_kind_order_unique').on(table.kind, table.orderId)],
);

export type Email = typeof outbox.$inferSelect;
