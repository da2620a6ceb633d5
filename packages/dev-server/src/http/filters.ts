// The query string of a list or bulk endpoint, read strictly: only the filters that endpoint
// takes (as the official Client sends them), each value well-formed, repeated values meaning
// "any of". A misspelt or unknown name, an empty value or a malformed one is a 400 naming it:
// a filter must never silently drop out and widen a delete or a retry to everything.

import { badRequest } from '../errors.ts';
import { LIMITS, wholeNumber } from '../publish/limits.ts';
import type { State } from '../store/events.ts';
import type { FilterField, RecordFilter } from '../store/filter.ts';

const STATES: readonly State[] = [
  'CREATED',
  'ACTIVE',
  'DELIVERED',
  'ERROR',
  'RETRY',
  'FAILED',
  'CANCELED',
];

/** Query names that are filters; `topicName` is the SDK's `urlGroup` on the wire. */
const FIELDS: Record<string, FilterField> = {
  messageId: 'messageId',
  url: 'url',
  topicName: 'topicName',
  queueName: 'queueName',
  scheduleId: 'scheduleId',
  label: 'label',
  flowControlKey: 'flowControlKey',
  callerIp: 'callerIp',
  host: 'host',
  path: 'path',
  state: 'state',
  responseStatus: 'responseStatus',
  fromDate: 'fromDate',
  toDate: 'toDate',
};

/** Names the SDK marks deprecated and the server ignores (`api`). */
const IGNORED = new Set(['api']);

/**
 * The filters every message endpoint takes (the SDK's shared and identity filter fields); each
 * endpoint adds its own (`messageId`, `host`/`path`, `state`, `responseStatus`).
 */
export const MESSAGE_FILTERS: readonly FilterField[] = [
  'url',
  'topicName',
  'queueName',
  'scheduleId',
  'label',
  'flowControlKey',
  'callerIp',
  'fromDate',
  'toDate',
];

export interface QueryRules {
  /** The filters this endpoint takes. */
  filters: readonly FilterField[];
  /** Its other parameters (`cursor`, `count`, `dlqIds`, …), read by the route itself. */
  others: readonly string[];
  /** The values `state` takes (default: a message's states). */
  states?: readonly string[];
}

/** The filters in `query`, or a 400 for anything the endpoint does not take or cannot read. */
export function readFilter(query: URLSearchParams, rules: QueryRules): RecordFilter {
  const filter: RecordFilter = {};
  const allowed = new Set<string>([...rules.filters, ...rules.others]);
  for (const name of new Set(query.keys())) {
    if (IGNORED.has(name)) continue;
    if (!allowed.has(name)) {
      throw badRequest(
        `unknown query parameter "${name}": this endpoint takes ${[...allowed].join(', ')}`,
      );
    }
    const values = query.getAll(name);
    if (values.some((value) => value === '')) throw badRequest(`the "${name}" parameter is empty`);
    const field = FIELDS[name];
    if (!field) continue;
    if (field === 'fromDate' || field === 'toDate') {
      if (values.length > 1) throw badRequest(`"${name}" may be given once`);
      filter[field] = wholeNumber(values[0], `the "${name}" parameter`, LIMITS.queryDate);
    } else if (field === 'responseStatus') {
      filter.responseStatus = values.map((value) =>
        wholeNumber(value, 'the "responseStatus" parameter', { min: 100, max: 599 }),
      );
    } else if (field === 'state') {
      const states: readonly string[] = rules.states ?? STATES;
      for (const value of values) {
        if (!states.includes(value))
          throw badRequest(
            `"state" must be one of ${states.join(', ')}, got ${JSON.stringify(value)}`,
          );
      }
      filter.state = values;
    } else {
      filter[field] = values;
    }
  }
  return filter;
}

/** True when the filter names at least one field (a bulk action with none acts on everything). */
export function hasFilter(filter: RecordFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined);
}

/** A repeatable whole-number parameter (`workflowCreatedAt`); undefined when absent. */
export function numbersParam(query: URLSearchParams, name: string): number[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values.map((value) => wholeNumber(value, `the "${name}" parameter`, LIMITS.queryDate));
}

/** A repeatable text parameter; undefined when absent, a 400 for an empty value. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  if (values.some((value) => value === '')) throw badRequest(`the "${name}" parameter is empty`);
  return values;
}

/** `count`: a page size or a cap, 1 to 1000; `fallback` when absent. */
export function countParam(query: URLSearchParams, fallback: number): number {
  const values = query.getAll('count');
  if (values.length === 0) return fallback;
  if (values.length > 1) throw badRequest('"count" may be given once');
  return wholeNumber(values[0], 'the "count" parameter', LIMITS.queryCount);
}

/** Ids given by a repeatable parameter (`messageIds`, `dlqIds`), never together with filters. */
export function idsParam(query: URLSearchParams, name: string, filter: RecordFilter): string[] {
  const ids = query.getAll(name);
  if (ids.length > 0 && hasFilter(filter))
    throw badRequest(`"${name}" cannot be combined with filters: pass one or the other`);
  if (ids.some((id) => id === '')) throw badRequest(`"${name}" has an empty id`);
  return ids;
}
