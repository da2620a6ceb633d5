import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const plan = pgEnum('plan', ['FREE', 'PRO']);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  plan: plan('plan').notNull().default('FREE'),
  /** SHA-256 (hex) of the API key; the key itself is never stored. */
  apiKeyHash: text('api_key_hash').notNull().unique(),
  /** The usage counter's value at the last sync. */
  usage: integer('usage').notNull().default(0),
  usageSyncedAt: timestamp('usage_synced_at', { withTimezone: true }),
});

export const spreadsheets = pgTable(
  'spreadsheets',
  {
    id: serial('id').primaryKey(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    rows: jsonb('rows').$type<(string | number | null)[][]>().notNull().default([]),
  },
  (table) => [index('spreadsheets_owner_idx').on(table.ownerId)],
);

/** One row per sync, for the dashboard: when, why, and what it did. */
export const syncRuns = pgTable('sync_runs', {
  id: serial('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  trigger: text('trigger').notNull(),
  messageId: text('message_id'),
  scanned: integer('scanned').notNull(),
  updated: integer('updated').notNull(),
  skipped: integer('skipped').notNull(),
});

export type User = typeof users.$inferSelect;
export type Plan = (typeof plan.enumValues)[number];
