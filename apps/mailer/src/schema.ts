import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** Emails "sent": written here instead of to an SMTP server. One per message id. */
export const outbox = pgTable('outbox', {
  id: serial('id').primaryKey(),
  messageId: text('message_id').notNull().unique(),
  kind: text('kind').notNull(),
  orderId: integer('order_id').notNull(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Email = typeof outbox.$inferSelect;
