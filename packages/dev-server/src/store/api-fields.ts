// How stored columns appear in the API's JSON, for the rows (messages, schedules) that share them.
import { labelFields } from './labels.ts';

/** The columns messages and schedules share, as they appear in the API's JSON. */
const SHARED_FIELDS = {
  callback: 'callback',
  failure_callback: 'failureCallback',
  queue_name: 'queueName',
  retry_delay: 'retryDelayExpression',
  caller_ip: 'callerIp',
  flow_control_key: 'flowControlKey',
} as const;

type SharedColumns = { [column in keyof typeof SHARED_FIELDS | 'label']?: string | null };

/** The shared optional fields of a message or schedule row, only those that are set. */
export function sharedFields(row: SharedColumns): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(SHARED_FIELDS)) {
    const value = row[column as keyof SharedColumns];
    if (value) fields[field] = value;
  }
  return Object.assign(fields, labelFields(row.label));
}

/**
 * A header name as hosted QStash returns it (Go's canonical form): `content-type` →
 * `Content-Type`, `x-tenant-id` → `X-Tenant-Id`. Names with characters outside a token are
 * left as they are, as Go leaves them.
 */
export function canonicalHeaderName(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/**
 * Stored headers (`{"name": "value"}` JSON) in the shape QStash's API returns them:
 * `{"Name": ["value"]}`.
 */
export function headerLists(json: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(JSON.parse(json) as Record<string, string>))
    lists[canonicalHeaderName(name)] = [value];
  return lists;
}

/** Header lists (a destination's response) with their names as hosted QStash returns them. */
export function canonicalHeaderLists(lists: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(lists)) out[canonicalHeaderName(name)] = values;
  return out;
}
