// PostgreSQL when DATABASE_URL is set, else embedded PGlite (a folder on disk). Plain SQL: one
// table, created on start. PGlite takes seconds to start: this process opens it once.
import { mkdirSync } from 'node:fs';
import type { PostgresClientLike } from '@signet/core';
import type { Config } from './config.ts';

export interface Entry {
  orderId: number;
  item: string;
  quantity: number;
  amountCents: number;
  bookedAt: Date;
}

export interface Ledger {
  /** Books an order once: the order id comes from the signed body. False when it was booked. */
  book(entry: Omit<Entry, 'bookedAt'>): Promise<boolean>;
  latest(limit: number): Promise<Entry[]>;
  total(): Promise<{ entries: number; amountCents: number }>;
  /** The raw client, for Signet's replay store. */
  sql: PostgresClientLike;
  close(): Promise<void>;
}

interface Client extends PostgresClientLike {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS ledger_entries (
  order_id integer PRIMARY KEY,
  item text NOT NULL,
  quantity integer NOT NULL,
  amount_cents integer NOT NULL,
  booked_at timestamptz NOT NULL DEFAULT now()
)`;

function ledgerOn(client: Client, close: () => Promise<void>): Ledger {
  return {
    async book({ orderId, item, quantity, amountCents }) {
      const { rows } = await client.query<{ order_id: number }>(
        `INSERT INTO ledger_entries (order_id, item, quantity, amount_cents)
         VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
        [orderId, item, quantity, amountCents],
      );
      return rows.length > 0;
    },
    async latest(limit) {
      const { rows } = await client.query<{
        order_id: number;
        item: string;
        quantity: number;
        amount_cents: number;
        booked_at: Date;
      }>('SELECT * FROM ledger_entries ORDER BY booked_at DESC, order_id DESC LIMIT $1', [limit]);
      return rows.map((row) => ({
        orderId: row.order_id,
        item: row.item,
        quantity: row.quantity,
        amountCents: row.amount_cents,
        bookedAt: new Date(row.booked_at),
      }));
    },
    async total() {
      const { rows } = await client.query<{ entries: number | string; amount: number | string }>(
        'SELECT count(*) AS entries, coalesce(sum(amount_cents), 0) AS amount FROM ledger_entries',
      );
      return { entries: Number(rows[0]?.entries ?? 0), amountCents: Number(rows[0]?.amount ?? 0) };
    },
    sql: client,
    close,
  };
}

/** Opens the ledger, creating its table on first use. */
export async function openLedger(
  config: Pick<Config, 'databaseUrl' | 'pgliteDir'>,
): Promise<Ledger> {
  if (config.databaseUrl) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    // An idle connection dropped by a database restart is reported here; without a listener
    // Node would end the process. Queries meanwhile fail, get a 503, and the pool reconnects.
    pool.on('error', (error) =>
      console.warn(`[ledger] database connection lost: ${error.message}`),
    );
    await pool.query(SCHEMA);
    return ledgerOn(pool as unknown as Client, () => pool.end());
  }
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(config.pgliteDir, { recursive: true });
  const client = await PGlite.create(config.pgliteDir);
  await client.query(SCHEMA);
  return ledgerOn(client as unknown as Client, () => client.close());
}
