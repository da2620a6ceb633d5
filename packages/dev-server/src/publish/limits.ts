// Every number signet dev takes, with the range it accepts. Anything outside is answered with a
// 400 that names the field and the range, and is never stored: a value that cannot be a date or
// a count must not wait in the database to break the page or the dispatcher later. QStash's own
// limits where it documents them; generous bounds for development where it does not.
import { badRequest } from '../errors.ts';

const DAY_MS = 86_400_000;

export const LIMITS = {
  /** `Upstash-Retries`, `Upstash-Callback-Retries`, `retries` of a schedule. */
  retries: { min: 0, max: 100 },
  /** `Upstash-Delay` and the callbacks' delays: up to a year, as QStash's largest plans. */
  delayMs: { min: 0, max: 365 * DAY_MS },
  /** `Upstash-Not-Before`: unix seconds, at most a year from now (earlier means now). */
  notBeforeAheadMs: 365 * DAY_MS,
  /** `Upstash-Timeout` and the callbacks' timeouts: a millisecond to a day. */
  timeoutMs: { min: 1, max: DAY_MS },
  /** A queue's `parallelism`. */
  parallelism: { min: 1, max: 1000 },
  /** Flow control: starts per period, and the period (a second to a week). */
  flowRate: { min: 1, max: 100_000 },
  flowPeriodMs: { min: 1000, max: 7 * DAY_MS },
  /** Messages in one `/v2/batch` request. */
  batchMessages: 1000,
  /** Bytes of a whole `/v2/batch` request (each body is also held to the body limit). */
  batchBytes: 10 * 1024 * 1024,
  /** Query numbers (`count`, …): what SQLite and JSON can carry exactly. */
  queryInteger: { min: 0, max: 2 ** 31 - 1 },
  /** `fromDate`, `toDate`: unix milliseconds, as the SDK sends a `Date` (up to year 275760). */
  queryDate: { min: 0, max: 8_640_000_000_000_000 },
  /** `count` of a list or bulk action: QStash's page size cap. */
  queryCount: { min: 1, max: 1000 },
} as const;

/** Names the SDK gives things (workflow run and event ids, flow-control keys): up to 200 of these. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

const human = (ms: number) =>
  ms === 0
    ? '0s'
    : ms % DAY_MS === 0
      ? `${ms / DAY_MS}d`
      : ms % 1000 === 0
        ? `${ms / 1000}s`
        : `${ms}ms`;

/** A whole number within `range`, or a 400 naming `field`. */
export function wholeNumber(
  value: unknown,
  field: string,
  range: { readonly min: number; readonly max: number },
): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    number < range.min ||
    number > range.max
  ) {
    throw badRequest(
      `${field} must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** Milliseconds within `range`, or a 400 naming `field` and the range. */
export function withinDuration(
  ms: number,
  raw: string,
  field: string,
  range: { readonly min: number; readonly max: number },
): number {
  if (!Number.isSafeInteger(ms) || ms < range.min || ms > range.max) {
    throw badRequest(
      `${field} must be between ${human(range.min)} and ${human(range.max)}, got ${JSON.stringify(raw)}`,
    );
  }
  return ms;
}
