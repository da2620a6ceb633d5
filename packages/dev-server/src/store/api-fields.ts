// How stored columns appear in the API's JSON, for the rows (messages, schedules) that share them.
/** The columns messages and schedules share, as they appear in the API's JSON. */
const SHARED_FIELDS = {
  callback: 'callback',
  failure_callback: 'failureCallback',
  queue_name: 'queueName',
  retry_delay: 'retryDelayExpression',
  label: 'label',
  caller_ip: 'callerIp',
} as const;

type SharedColumns = { [column in keyof typeof SHARED_FIELDS]: string | null };

/** The shared optional fields of a message or schedule row, only those that are set. */
export function sharedFields(row: SharedColumns): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [column, field] of Object.entries(SHARED_FIELDS)) {
    const value = row[column as keyof SharedColumns];
    if (value) fields[field] = value;
  }
  return fields;
}

/**
 * Stored headers (`{"name": "value"}` JSON) in the shape QStash's API returns them:
 * `{"name": ["value"]}`.
 */
export function headerLists(json: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(JSON.parse(json) as Record<string, string>))
    lists[name] = [value];
  return lists;
}
