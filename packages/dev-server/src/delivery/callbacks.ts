import {
  type CallbackConfig,
  type CallbackOptions,
  DEFAULT_RETRIES,
} from '../publish/publish-headers.ts';
import { canonicalHeaderLists, headerLists } from '../store/api-fields.ts';
import type { MessageRow, MessageSpec } from '../store/messages.ts';
import type { Store } from '../store/store.ts';
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

/**
 * The callback (or failure callback) message for an attempt on `row`, or undefined when the
 * message asked for none. A failed step of a workflow run tells the failure function the run,
 * its URL and the trigger's payload (not the step's history), as `serve` reads them.
 */
export function callbackFor(
  store: Store,
  row: MessageRow,
  kind: 'callback' | 'failureCallback',
  result: AttemptResult,
  now: number,
  dlqId?: string,
): MessageSpec | undefined {
  const url = kind === 'callback' ? row.callback : row.failure_callback;
  if (!url || row.callback_of) return undefined; // callbacks get no callbacks of their own
  const body = callbackBody(row, result, dlqId);
  const owner = kind === 'failureCallback' ? store.workflows.runOf(row.id) : undefined;
  if (owner) {
    Object.assign(body, {
      workflowRunId: owner.run.run_id,
      workflowCreatedAt: owner.run.created_at,
      sourceBody: base64(owner.initialBody),
      ...(owner.run.url && { url: owner.run.url }),
    });
  }
  const spec = callbackMessage(row, url, kind, body, now);
  if (owner) spec.headers = { ...spec.headers, 'upstash-workflow-runid': owner.run.run_id };
  return spec;
}

/** A `context.call`: its callback is a delivery of the run (it names the run to call back). */
export function isWorkflowCall(row: MessageRow): boolean {
  if (!row.callback_config) return false;
  const config = JSON.parse(row.callback_config) as CallbackConfig;
  return config.callback?.headers?.['upstash-workflow-runid'] !== undefined;
}
