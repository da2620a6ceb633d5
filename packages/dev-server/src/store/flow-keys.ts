// Flow-control keys: what limits deliveries sharing a key. Each message carries the settings it
// was published with; as on hosted QStash, while messages with different settings wait, the
// highest parallelism and the highest rate among them apply, unless the key is pinned. The rate
// window (starts counted in the current period) is stored, so a restart does not reset it.
import type { FlowControl } from '../publish/flow-control.ts';
import type { Db } from './db.ts';

interface FlowKeyRow {
  key: string;
  /** The settings of the latest message with this key (used when none is waiting). */
  settings: string | null;
  paused: number;
  pinned_parallelism: number | null;
  pinned_rate: number | null;
  pinned_period_ms: number | null;
  window_start: number;
  window_count: number;
  updated_at: number;
}

export interface FlowLimits {
  parallelism?: number | undefined;
  rate?: number | undefined;
  periodMs: number;
}

export interface FlowKeyInfo {
  flowControlKey: string;
  waitListSize: number;
  parallelismMax: number;
  parallelismCount: number;
  rateMax: number;
  rateCount: number;
  ratePeriod: number;
  ratePeriodStart: number;
  isPaused: boolean;
  isPinnedParallelism: boolean;
  isPinnedRate: boolean;
}

const UNFINISHED = `state IN ('CREATED', 'ACTIVE', 'RETRY')`;

export class FlowKeys {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  #row(key: string): FlowKeyRow | undefined {
    return this.#db.prepare('SELECT * FROM flow_keys WHERE key = ?').get(key) as
      | FlowKeyRow
      | undefined;
  }

  /** The key's record, made when a message or a control call first names it. */
  #ensure(key: string, now: number): FlowKeyRow {
    this.#db
      .prepare('INSERT INTO flow_keys (key, updated_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run(key, now);
    return this.#row(key) as FlowKeyRow;
  }

  /** A message with this key was stored (inside its transaction). */
  seen(flow: FlowControl | undefined, now: number): void {
    if (!flow) return;
    this.#ensure(flow.key, now);
    const { key, ...settings } = flow;
    this.#db
      .prepare('UPDATE flow_keys SET settings = ?, updated_at = ? WHERE key = ?')
      .run(JSON.stringify(settings), now, key);
  }

  exists(key: string): boolean {
    return this.#row(key) !== undefined;
  }

  isPaused(key: string): boolean {
    return this.#row(key)?.paused === 1;
  }

  /**
   * The limits in force: pinned ones, else the highest among the key's unfinished messages, else
   * those of its latest message.
   */
  limits(key: string): FlowLimits {
    const row = this.#row(key);
    const settings = this.#db
      .prepare(
        `SELECT MAX(json_extract(flow_control, '$.parallelism')) AS parallelism,
          MAX(json_extract(flow_control, '$.rate') * 1000.0 / COALESCE(json_extract(flow_control, '$.periodMs'), 1000)) AS per_second
         FROM messages WHERE flow_control_key = ? AND ${UNFINISHED}`,
      )
      .get(key) as { parallelism: number | null; per_second: number | null };
    const latest = row?.settings ? (JSON.parse(row.settings) as Omit<FlowControl, 'key'>) : {};
    let rate: number | undefined;
    let periodMs = 1000;
    if (row?.pinned_rate != null) {
      rate = row.pinned_rate;
      periodMs = row.pinned_period_ms ?? 1000;
    } else if (settings.per_second !== null) {
      const fastest = this.#db
        .prepare(
          `SELECT json_extract(flow_control, '$.rate') AS rate, COALESCE(json_extract(flow_control, '$.periodMs'), 1000) AS period
           FROM messages WHERE flow_control_key = ? AND ${UNFINISHED} AND json_extract(flow_control, '$.rate') IS NOT NULL
           ORDER BY json_extract(flow_control, '$.rate') * 1000.0 / COALESCE(json_extract(flow_control, '$.periodMs'), 1000) DESC LIMIT 1`,
        )
        .get(key) as { rate: number; period: number };
      rate = fastest.rate;
      periodMs = fastest.period;
    } else if (latest.rate !== undefined) {
      rate = latest.rate;
      periodMs = latest.periodMs ?? 1000;
    }
    return {
      parallelism: row?.pinned_parallelism ?? settings.parallelism ?? latest.parallelism,
      rate,
      periodMs,
    };
  }

  /**
   * Counts one start against the key's rate: true when it may start now. When the window is
   * full, `wakeAt` says when the next one opens.
   */
  takeStart(key: string, limits: FlowLimits, now: number): { ok: boolean; wakeAt?: number } {
    if (limits.rate === undefined) return { ok: true };
    const row = this.#ensure(key, now);
    let { window_start: start, window_count: count } = row;
    if (now >= start + limits.periodMs) {
      start = now;
      count = 0;
    }
    if (count >= limits.rate) return { ok: false, wakeAt: start + limits.periodMs };
    this.#db
      .prepare('UPDATE flow_keys SET window_start = ?, window_count = ? WHERE key = ?')
      .run(start, count + 1, key);
    return { ok: true };
  }

  setPaused(key: string, paused: boolean, now: number): void {
    this.#ensure(key, now);
    this.#db
      .prepare('UPDATE flow_keys SET paused = ?, updated_at = ? WHERE key = ?')
      .run(paused ? 1 : 0, now, key);
  }

  pin(key: string, pin: { parallelism?: number; rate?: number; periodMs?: number }, now: number) {
    const row = this.#ensure(key, now);
    this.#db
      .prepare(
        'UPDATE flow_keys SET pinned_parallelism = ?, pinned_rate = ?, pinned_period_ms = ?, updated_at = ? WHERE key = ?',
      )
      .run(
        pin.parallelism ?? row.pinned_parallelism,
        pin.rate ?? row.pinned_rate,
        pin.rate !== undefined || pin.periodMs !== undefined
          ? (pin.periodMs ?? row.pinned_period_ms ?? 1000)
          : row.pinned_period_ms,
        now,
        key,
      );
  }

  unpin(key: string, which: { parallelism: boolean; rate: boolean }, now: number): void {
    const row = this.#ensure(key, now);
    this.#db
      .prepare(
        'UPDATE flow_keys SET pinned_parallelism = ?, pinned_rate = ?, pinned_period_ms = ?, updated_at = ? WHERE key = ?',
      )
      .run(
        which.parallelism ? null : row.pinned_parallelism,
        which.rate ? null : row.pinned_rate,
        which.rate ? null : row.pinned_period_ms,
        now,
        key,
      );
  }

  /** Clears the rate count; the current time starts a new period. */
  resetRate(key: string, now: number): void {
    this.#ensure(key, now);
    this.#db
      .prepare('UPDATE flow_keys SET window_start = ?, window_count = 0 WHERE key = ?')
      .run(now, key);
  }

  keys(): string[] {
    return (
      this.#db.prepare('SELECT key FROM flow_keys ORDER BY key').all() as { key: string }[]
    ).map((row) => row.key);
  }

  /** The SDK's FlowControlInfo; `active` is how many of the key's deliveries are on the wire. */
  info(key: string, active: number, now: number): FlowKeyInfo | undefined {
    const row = this.#row(key);
    if (!row) return undefined;
    const limits = this.limits(key);
    const waiting = this.#db
      .prepare(
        `SELECT COUNT(*) AS n FROM messages WHERE flow_control_key = ? AND state IN ('CREATED', 'RETRY')`,
      )
      .get(key) as { n: number };
    const windowOpen = now < row.window_start + limits.periodMs;
    return {
      flowControlKey: key,
      waitListSize: waiting.n,
      parallelismMax: limits.parallelism ?? 0,
      parallelismCount: active,
      rateMax: limits.rate ?? 0,
      rateCount: windowOpen ? row.window_count : 0,
      ratePeriod: Math.round(limits.periodMs / 1000),
      ratePeriodStart: row.window_start,
      isPaused: row.paused === 1,
      isPinnedParallelism: row.pinned_parallelism !== null,
      isPinnedRate: row.pinned_rate !== null,
    };
  }
}
