import type { MessageRow } from '../store/messages.ts';
import { backoffMs, compileRetryDelay, retryAfterMs } from './retry-policy.ts';
import type { AttemptResult } from './send.ts';

export type Decision =
  | { kind: 'delivered' }
  | { kind: 'retry'; notBefore: number }
  /** Into the dead letters: retries are used up, or the destination said not to retry. */
  | { kind: 'dead' };

/** Sent with 489 by a destination that wants no retries (a bad payload will never succeed). */
const NON_RETRYABLE = 'upstash-nonretryable-error';

function isNonRetryable(result: AttemptResult): boolean {
  return (
    result.kind === 'response' &&
    result.status === 489 &&
    result.headers[NON_RETRYABLE]?.[0]?.toLowerCase() === 'true'
  );
}

/**
 * What happens after an attempt, as hosted QStash decides it: a 2xx is delivered; 489 with
 * `Upstash-NonRetryable-Error: true` goes straight to the dead letters; anything else is retried
 * until the retries are used up. The wait is the response's `Retry-After`, else the message's
 * `Upstash-Retry-Delay` expression, else QStash's backoff divided by `retryScale`.
 */
export function decide(
  row: MessageRow,
  result: AttemptResult,
  now: number,
  retryScale: number,
): Decision {
  if (result.kind === 'response' && result.status >= 200 && result.status < 300)
    return { kind: 'delivered' };
  if (isNonRetryable(result) || row.retried >= row.max_retries) return { kind: 'dead' };
  const retryAfter =
    result.kind === 'response'
      ? retryAfterMs(result.headers['retry-after']?.[0] ?? null, now)
      : undefined;
  const delay =
    retryAfter ??
    (row.retry_delay
      ? compileRetryDelay(row.retry_delay)(row.retried)
      : backoffMs(row.retried + 1, retryScale));
  // A Retry-Delay expression can say anything (NaN, a negative number, 1e300): QStash caps
  // retry delays at a day, and so does this.
  const bounded = Number.isFinite(delay) ? Math.min(86_400_000, Math.max(0, delay)) : 0;
  return { kind: 'retry', notBefore: now + Math.round(bounded) };
}
