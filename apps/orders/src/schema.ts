import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const products = pgTable('products', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  priceCents: integer('price_cents').notNull(),
  stock: integer('stock').notNull(),
});

export const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  /** The client's idempotency key: a retried purchase finds its order instead of making another. */
  requestId: text('request_id').notNull().unique(),
  productId: integer('product_id')
    .notNull()
    .references(() => products.id),
  quantity: integer('quantity').notNull(),
  email: text('email').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Where the fulfilment workflow is: placed → awaiting payment → shipped → review requested. */
  fulfilment: text('fulfilment').notNull().default('placed'),
  /** The fulfilment workflow's run (`wfr_order-<id>`), once triggered. */
  runId: text('run_id'),
});

/** One row per message the order event fanned out to (one per URL group endpoint). */
export const deliveries = pgTable('deliveries', {
  messageId: text('message_id').primaryKey(),
  orderId: integer('order_id')
    .notNull()
    .references(() => orders.id),
  url: text('url').notNull(),
  endpoint: text('endpoint'),
  /** queued → retrying → delivered | failed (in the dead letters). */
  state: text('state').notNull(),
  status: integer('status'),
  retried: integer('retried').notNull().default(0),
  dlqId: text('dlq_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Stock taken for an order, once per order: a redelivery finds its row and does nothing. */
export const reservations = pgTable('reservations', {
  orderId: integer('order_id').primaryKey(),
  /** The delivery that took it (for the record; not signed, so never a key). */
  messageId: text('message_id'),
  productId: integer('product_id').notNull(),
  quantity: integer('quantity').notNull(),
  reserved: integer('reserved').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Product = typeof products.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
