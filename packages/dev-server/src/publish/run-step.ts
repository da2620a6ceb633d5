// A step the broker itself adds to a run (an event that came, a wait's timeout, an invoked
// run's result): published like the SDK's own steps, with the run's publish headers, so it is
// recorded in the run's history and delivered with it.
import { badRequest } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { createMessage, preparePublish } from './fan-out.ts';

export function publishRunStep(
  store: Store,
  options: {
    url: string;
    headers: [string, string][];
    step: Record<string, unknown>;
    callerIp?: string | undefined;
    delayMs?: number;
  },
  now: number,
): string {
  const { url, step, callerIp, delayMs = 0 } = options;
  const headers: [string, string][] =
    delayMs > 0 ? [...options.headers, ['upstash-delay', `${delayMs}ms`]] : options.headers;
  const prepared = preparePublish(
    store,
    { destination: url, headers, body: Buffer.from(JSON.stringify(step)), callerIp },
    now,
  );
  const [spec] = prepared.kind === 'messages' ? prepared.specs : [];
  if (!spec) throw badRequest('a workflow step goes to one URL');
  return createMessage(store, spec, now);
}

/** Header lists (`{name: [value]}`, as the SDK sends them in bodies) as pairs. */
export function headerPairs(lists: Record<string, string[]>): [string, string][] {
  return Object.entries(lists).flatMap(([name, values]) =>
    values.map((value): [string, string] => [name, value]),
  );
}
