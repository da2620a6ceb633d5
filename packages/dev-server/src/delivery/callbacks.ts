import {
  type CallbackConfig,
  type CallbackOptions,
  DEFAULT_RETRIES,
} from '../publish/publish-headers.ts';
import { canonicalHeaderLists, headerLists } from '../store/api-fields.ts';
import type { MessageRow, MessageSpec } from '../store/messages.ts';
import type { AttemptResult } from './send.ts';

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The JSON a callback receives, as QStash documents it: the destination's response (base64 body),
 * how often the message was retried, and the source message (base64 body, headers). An attempt
 * that got no response at all reports status 0, an empty body and an `error`.
 */
export function callbackBody(
  row: MessageRow,
  result: AttemptResult,
  dlqId?: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    status: result.kind === 'response' ? result.status : 0,
    header: result.kind === 'response' ? canonicalHeaderLists(result.headers) : {},
    body: result.kind === 'response' ? base64(result.body) : '',
    retried: row.retried,
    maxRetries: row.max_retries,
  };
  if (result.kind === 'error') body.error = result.error;
  if (dlqId !== undefined) body.dlqId = dlqId;
  Object.assign(body, {
    sourceMessageId: row.id,
    url: row.url,
    method: row.method,
    sourceHeader: headerLists(row.headers),
    sourceBody: base64(row.body),
    notBefore: String(row.not_before),
    createdAt: String(row.created_at),
  });
  if (row.topic_name) body.topicName = row.topic_name;
  if (row.endpoint_name) body.endpointName = row.endpoint_name;
  if (row.schedule_id) body.scheduleId = row.schedule_id;
  if (row.caller_ip) body.callerIP = row.caller_ip;
  return body;
}

/**
 * The message that carries a callback to `url`. It is signed and retried like any message
 * (`Upstash-Callback-Retries` etc. configure it).
 */
export function callbackMessage(
  row: MessageRow,
  url: string,
  kind: 'callback' | 'failureCallback',
  body: Record<string, unknown>,
  now: number,
): MessageSpec {
  const config = row.callback_config ? (JSON.parse(row.callback_config) as CallbackConfig) : {};
  const options: CallbackOptions = config[kind] ?? {};
  return {
    url,
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: new TextEncoder().encode(JSON.stringify(body)),
    callbackOf: row.id,
    maxRetries: options.retries ?? DEFAULT_RETRIES,
    timeoutMs: options.timeoutMs,
    notBefore: now + (options.delayMs ?? 0),
    callerIp: row.caller_ip ?? undefined,
  };
}
