// The filters the list and bulk endpoints take (messages, dead letters, the event log), as SQL.
// Every field is a list meaning "any of"; separate fields must all hold. What a table does not
// have is a programming error here: the HTTP layer refuses filters an endpoint does not take.
import type { Where } from './where.ts';

export interface RecordFilter {
  messageId?: string[];
  url?: string[];
  topicName?: string[];
  queueName?: string[];
  scheduleId?: string[];
  label?: string[];
  flowControlKey?: string[];
  callerIp?: string[];
  /** The destination URL's host (`example.com:8080`) and path (`/hooks/a`). */
  host?: string[];
  path?: string[];
  state?: string[];
  responseStatus?: number[];
  /** Unix milliseconds, inclusive. */
  fromDate?: number;
  toDate?: number;
}

export type FilterField = keyof RecordFilter;

/** Where each filter field lives in a table: a column or an SQL expression. */
export type FilterColumns = Partial<Record<FilterField, string>> & {
  /** The destination URL, for `host` and `path`. */
  url?: string;
};

/** Where the messages and the event log keep the fields they share. */
export const MESSAGE_COLUMNS = {
  url: 'url',
  topicName: 'topic_name',
  queueName: 'queue_name',
  scheduleId: 'schedule_id',
  label: 'label',
  flowControlKey: 'flow_control_key',
  callerIp: 'caller_ip',
} as const satisfies FilterColumns;

export function applyFilter(where: Where, filter: RecordFilter, columns: FilterColumns): Where {
  for (const [field, value] of Object.entries(filter) as [FilterField, unknown][]) {
    if (value === undefined) continue;
    const column = columns[field === 'host' || field === 'path' ? 'url' : field];
    if (!column) throw new Error(`the ${field} filter has no column here`);
    if (Array.isArray(value) && value.length === 0) {
      where.nothing();
      continue;
    }
    if (field === 'fromDate') where.when(value as number, `${column} >= ?`);
    else if (field === 'toDate') where.when(value as number, `${column} <= ?`);
    else if (field === 'label') where.anyOf(value as string[], `has_label(${column}, ?)`);
    else if (field === 'host') where.in(`url_host(${column})`, value as string[]);
    else if (field === 'path') where.in(`url_path(${column})`, value as string[]);
    else where.in(column, value as (string | number)[]);
  }
  return where;
}
