// The SDK's `flowControl` API: each key's limits and state (its wait list, deliveries on the
// wire, the rate's current period), pause and resume, pin and unpin, reset the rate; and the
// global parallelism (`--concurrency`).
import { badRequest, notFound } from '../../errors.ts';
import { LIMITS, wholeNumber } from '../../publish/limits.ts';
import { type Context, pathId, type Reply, type Route } from '../context.ts';

const keyOf = ([raw]: string[]) => pathId(raw, 'flow-control key');

function info(context: Context, key: string) {
  return context.store.flowKeys.info(key, context.dispatcher.activeFor(key), Date.now());
}

function get(context: Context, params: string[]): Reply {
  const key = keyOf(params);
  const found = info(context, key);
  if (!found) throw notFound(`flow-control key ${key} not found`);
  return { status: 200, body: found };
}

function list(context: Context): Reply {
  const flowControls = context.store.flowKeys.keys().map((key) => info(context, key));
  return { status: 200, body: { flowControls } };
}

/** A control call: applied, then the dispatcher looks again (a resumed key may start now). */
function control(apply: (context: Context, key: string, now: number) => void) {
  return (context: Context, params: string[]): Reply => {
    const key = keyOf(params);
    context.store.db.tx(() => apply(context, key, Date.now()));
    context.dispatcher.wake();
    return { status: 200 };
  };
}

function number(query: URLSearchParams, name: string, range: { min: number; max: number }) {
  const value = query.get(name);
  return value === null ? undefined : wholeNumber(value, `the "${name}" parameter`, range);
}

const flag = (query: URLSearchParams, name: string) => {
  const value = query.get(name);
  if (value !== null && value !== 'true' && value !== 'false')
    throw badRequest(`"${name}" must be true or false, got ${JSON.stringify(value)}`);
  return value === 'true';
};

export const flowControlRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v2\/flowControl\/?$/, handler: list },
  { method: 'GET', pattern: /^\/v2\/flowControl\/([^/]+)$/, handler: get },
  {
    method: 'POST',
    pattern: /^\/v2\/flowControl\/([^/]+)\/pause$/,
    handler: control((c, key, now) => c.store.flowKeys.setPaused(key, true, now)),
  },
  {
    method: 'POST',
    pattern: /^\/v2\/flowControl\/([^/]+)\/resume$/,
    handler: control((c, key, now) => c.store.flowKeys.setPaused(key, false, now)),
  },
  {
    method: 'POST',
    pattern: /^\/v2\/flowControl\/([^/]+)\/pin$/,
    handler: control((c, key, now) => {
      const parallelism = number(c.query, 'parallelism', LIMITS.parallelism);
      const rate = number(c.query, 'rate', LIMITS.flowRate);
      const period = number(c.query, 'period', {
        min: LIMITS.flowPeriodMs.min / 1000,
        max: LIMITS.flowPeriodMs.max / 1000,
      });
      if (parallelism === undefined && rate === undefined && period === undefined)
        throw badRequest('pin needs parallelism, rate or period');
      c.store.flowKeys.pin(
        key,
        {
          ...(parallelism !== undefined && { parallelism }),
          ...(rate !== undefined && { rate }),
          ...(period !== undefined && { periodMs: period * 1000 }),
        },
        now,
      );
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v2\/flowControl\/([^/]+)\/unpin$/,
    handler: control((c, key, now) =>
      c.store.flowKeys.unpin(
        key,
        { parallelism: flag(c.query, 'parallelism'), rate: flag(c.query, 'rate') },
        now,
      ),
    ),
  },
  {
    method: 'POST',
    pattern: /^\/v2\/flowControl\/([^/]+)\/resetRate$/,
    handler: control((c, key, now) => c.store.flowKeys.resetRate(key, now)),
  },
  {
    method: 'GET',
    pattern: /^\/v2\/globalParallelism\/?$/,
    handler: (context) => {
      const { active, concurrency } = context.dispatcher.load;
      return {
        status: 200,
        body: { parallelismMax: concurrency, parallelismCount: active },
      };
    },
  },
];
