import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Checkpointer } from './checkpointer.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  method TEXT NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  topic_name TEXT,
  endpoint_name TEXT,
  queue_name TEXT,
  schedule_id TEXT,
  callback TEXT,
  failure_callback TEXT,
  callback_config TEXT,
  callback_of TEXT,
  max_retries INTEGER NOT NULL,
  retried INTEGER NOT NULL DEFAULT 0,
  retry_delay TEXT,
  timeout_ms INTEGER,
  not_before INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  caller_ip TEXT,
  label TEXT,
  last_status INTEGER,
  last_error TEXT
);
-- Partial indexes over pending messages only: the dispatcher's queries repeat these WHERE terms
-- word for word so SQLite uses them, and finished history never slows dispatch down.
CREATE INDEX IF NOT EXISTS messages_due ON messages (not_before, seq)
  WHERE queue_name IS NULL AND state IN ('CREATED', 'RETRY');
CREATE INDEX IF NOT EXISTS messages_queue ON messages (queue_name, seq)
  WHERE state IN ('CREATED', 'ACTIVE', 'RETRY');
CREATE INDEX IF NOT EXISTS messages_active ON messages (state) WHERE state = 'ACTIVE';

CREATE TABLE IF NOT EXISTS dlq (
  dlq_id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  message TEXT NOT NULL,
  body BLOB NOT NULL,
  response_status INTEGER,
  response_header TEXT,
  response_body BLOB,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dlq_created ON dlq (created_at);

CREATE TABLE IF NOT EXISTS dedup (
  key TEXT PRIMARY KEY,
  response TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS schedules (
  id TEXT PRIMARY KEY,
  destination TEXT NOT NULL,
  cron TEXT NOT NULL,
  method TEXT NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  retries INTEGER NOT NULL,
  retry_delay TEXT,
  delay_ms INTEGER,
  timeout_ms INTEGER,
  callback TEXT,
  failure_callback TEXT,
  callback_config TEXT,
  queue_name TEXT,
  label TEXT,
  paused INTEGER NOT NULL DEFAULT 0,
  caller_ip TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_run INTEGER,
  next_run INTEGER
);

CREATE TABLE IF NOT EXISTS topics (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS endpoints (
  topic TEXT NOT NULL REFERENCES topics (name) ON DELETE CASCADE,
  url TEXT NOT NULL,
  name TEXT,
  PRIMARY KEY (topic, url)
);

CREATE TABLE IF NOT EXISTS flow_keys (
  key TEXT PRIMARY KEY,
  settings TEXT,
  paused INTEGER NOT NULL DEFAULT 0,
  pinned_parallelism INTEGER,
  pinned_rate INTEGER,
  pinned_period_ms INTEGER,
  window_start INTEGER NOT NULL DEFAULT 0,
  window_count INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS workflow_runs (
  run_id TEXT PRIMARY KEY,
  url TEXT,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS workflow_steps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  call_type TEXT NOT NULL,
  body BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS workflow_steps_run ON workflow_steps (run_id, id);

CREATE TABLE IF NOT EXISTS workflow_waiters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  url TEXT NOT NULL,
  deadline INTEGER NOT NULL,
  step TEXT NOT NULL,
  headers TEXT NOT NULL,
  timeout_url TEXT,
  timeout_headers TEXT,
  timeout_message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS workflow_waiters_event ON workflow_waiters (event_id);

CREATE TABLE IF NOT EXISTS workflow_events (
  run_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, event_id)
);

CREATE TABLE IF NOT EXISTS queues (
  name TEXT PRIMARY KEY,
  parallelism INTEGER NOT NULL DEFAULT 1,
  paused INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  state TEXT NOT NULL,
  message_id TEXT NOT NULL,
  url TEXT NOT NULL,
  topic_name TEXT,
  endpoint_name TEXT,
  queue_name TEXT,
  schedule_id TEXT,
  label TEXT,
  next_delivery_time INTEGER,
  response_status INTEGER,
  error TEXT
);
CREATE INDEX IF NOT EXISTS events_message ON events (message_id);

CREATE TABLE IF NOT EXISTS attempts (
  message_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status INTEGER,
  error TEXT,
  response_headers TEXT,
  response_body BLOB,
  PRIMARY KEY (message_id, attempt)
);
`;

// Columns added after the first release: a data directory from an older version gets them on
// open (NULL for its existing rows).
const ADDED_COLUMNS: readonly [table: string, column: string][] = [
  ['messages', 'flow_control_key TEXT'],
  ['messages', 'flow_control TEXT'],
  ['schedules', 'flow_control_key TEXT'],
  ['schedules', 'flow_control TEXT'],
  ['messages', 'redact TEXT'],
  ['schedules', 'redact TEXT'],
  ['events', 'caller_ip TEXT'],
  ['events', 'flow_control_key TEXT'],
  ['workflow_runs', 'label TEXT'],
  ['workflow_runs', 'flow_control_key TEXT'],
  ['workflow_runs', 'caller_ip TEXT'],
  ['workflow_runs', 'completed_at INTEGER'],
  ['workflow_runs', 'response TEXT'],
  ['workflow_runs', 'dlq_id TEXT'],
  ['workflow_runs', 'failure_message_id TEXT'],
  ['workflow_runs', 'invoker TEXT'],
  ['workflow_runs', 'defaults TEXT'],
  ['dlq', 'workflow_run_id TEXT'],
];

function addMissingColumns(sql: DatabaseSync): void {
  for (const [table, definition] of ADDED_COLUMNS) {
    const column = definition.split(' ')[0];
    const columns = sql.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((existing) => existing.name === column))
      sql.exec(`ALTER TABLE ${table} ADD COLUMN ${definition}`);
  }
  // Indexes on the added columns, once they exist.
  sql.exec(`CREATE INDEX IF NOT EXISTS messages_flow ON messages (flow_control_key, not_before, seq)
    WHERE flow_control_key IS NOT NULL AND state IN ('CREATED', 'ACTIVE', 'RETRY')`);
  sql.exec('CREATE INDEX IF NOT EXISTS workflow_runs_created ON workflow_runs (created_at)');
}

/** SQL functions the filters use: a URL's host and path, and membership in a label list. */
function defineFunctions(sql: DatabaseSync): void {
  const part = (value: unknown, pick: (url: URL) => string) =>
    typeof value === 'string' && URL.canParse(value) ? pick(new URL(value)) : null;
  sql.function('url_host', { deterministic: true }, (value) => part(value, (url) => url.host));
  sql.function('url_path', { deterministic: true }, (value) => part(value, (url) => url.pathname));
  sql.function('has_label', { deterministic: true }, (labels, wanted) =>
    typeof labels === 'string' && typeof wanted === 'string'
      ? Number(labels.split(',').includes(wanted))
      : 0,
  );
}

export type Durability = 'normal' | 'full';

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * The broker's SQLite database. WAL mode: readers never block the writer. `synchronous=NORMAL`
 * makes every commit survive a crash of this process (kill -9 included) without an fsync per
 * message; `full` also survives a power cut, at the cost of an fsync per commit.
 */
export class Db {
  readonly sql: DatabaseSync;
  readonly location: string;
  readonly #checkpointer: Checkpointer | undefined;

  constructor(options: {
    dataDir?: string | undefined;
    memory?: boolean | undefined;
    durability?: Durability;
  }) {
    if (options.memory) {
      this.location = ':memory:';
    } else {
      const dir = options.dataDir ?? '.signet';
      mkdirSync(dir, { recursive: true });
      this.location = join(dir, 'signet.db');
    }
    this.sql = new DatabaseSync(this.location);
    this.sql.exec('PRAGMA journal_mode = WAL');
    this.sql.exec(`PRAGMA synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.sql.exec('PRAGMA foreign_keys = ON');
    this.sql.exec('PRAGMA cache_size = -65536');
    if (!options.memory) {
      this.sql.exec('PRAGMA wal_autocheckpoint = 0');
      this.#checkpointer = new Checkpointer(this.location);
    }
    this.sql.exec('PRAGMA busy_timeout = 5000');
    this.sql.exec(SCHEMA);
    addMissingColumns(this.sql);
    defineFunctions(this.sql);
  }

  readonly #statements = new Map<string, StatementSync>();

  /** A prepared statement, compiled once and reused (compiling costs more than running). */
  prepare(source: string): StatementSync {
    let statement = this.#statements.get(source);
    if (!statement) {
      // Filters with a variable number of ids make new sources; keep the cache bounded.
      if (this.#statements.size >= 500) this.#statements.clear();
      statement = this.sql.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction: all of it is committed, or none. Nested calls join the outer one. */
  tx<T>(fn: () => T): T {
    if (this.sql.isTransaction) return fn();
    this.sql.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.sql.exec('COMMIT');
      return result;
    } catch (error) {
      this.sql.exec('ROLLBACK');
      throw error;
    }
  }

  /** Runs `fn` inside the current transaction so that, if it throws, only its own writes are undone. */
  savepoint<T>(fn: () => T): T {
    this.prepare('SAVEPOINT item').run();
    try {
      const result = fn();
      this.prepare('RELEASE item').run();
      return result;
    } catch (error) {
      this.prepare('ROLLBACK TO item').run();
      this.prepare('RELEASE item').run();
      throw error;
    }
  }

  /**
   * Runs `run` for each item inside the current transaction, so that one item that throws fails
   * alone. Fast path: one savepoint for all of them. If any throws, that is undone and each item
   * runs again in a savepoint of its own (`again` is then true: reload what the first pass changed
   * in memory).
   */
  each<I, R>(items: readonly I[], run: (item: I, again: boolean) => R): Settled<R>[] {
    if (items.length === 0) return [];
    try {
      return this.savepoint(() =>
        items.map((item) => ({ ok: true as const, value: run(item, false) })),
      );
    } catch {
      return items.map((item) => {
        try {
          return { ok: true as const, value: this.savepoint(() => run(item, true)) };
        } catch (error) {
          return { ok: false as const, error };
        }
      });
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  async close(): Promise<void> {
    await this.#checkpointer?.close();
    if (this.sql.isOpen) this.sql.close();
  }
}
