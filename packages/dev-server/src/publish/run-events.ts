// Events for waiting runs (`notify`, webhook calls): each waiter's timeout step is cancelled and
// taken out of the run, and the run gets the event's step instead.
import type { Store } from '../store/store.ts';
import { waiterJson } from '../store/waiters.ts';
import { publishRunStep } from './run-step.ts';

/** The step that ends a wait with the event's data. */
export function eventStep(
  step: Record<string, unknown>,
  eventId: string,
  data: Uint8Array,
): Record<string, unknown> {
  return {
    ...step,
    waitEventId: eventId,
    waitTimeout: false,
    out: Buffer.from(data).toString('base64'),
  };
}

/**
 * Sends an event to the runs waiting for it (or to one run). Sent to one run that is not waiting
 * yet, it is kept until that run waits for it (the SDK's "lookback"), as a webhook call is.
 */
export function sendEvent(
  store: Store,
  eventId: string,
  eventData: Uint8Array,
  now: number,
  runId?: string,
): Record<string, unknown>[] {
  return store.db.tx(() => {
    const waiting = store.waiters.waiting(eventId, now, runId);
    if (
      waiting.length === 0 &&
      runId !== undefined &&
      store.workflows.state(runId) === 'RUN_STARTED'
    )
      store.workflows.keepEvent(runId, eventId, eventData, now);
    return waiting.map((waiter) => {
      store.waiters.remove(waiter.id);
      store.messages.cancel([waiter.timeout_message_id], now);
      store.workflows.forget(waiter.timeout_message_id);
      const messageId = publishRunStep(
        store,
        {
          url: waiter.url,
          headers: JSON.parse(waiter.headers) as [string, string][],
          step: eventStep(JSON.parse(waiter.step) as Record<string, unknown>, eventId, eventData),
        },
        now,
      );
      return { waiter: waiterJson(waiter), messageId, error: '' };
    });
  });
}
