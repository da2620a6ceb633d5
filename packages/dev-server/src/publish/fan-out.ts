import { badRequest } from '../errors.ts';
import type { MessageRow, MessageSpec } from '../store/messages.ts';
import type { ScheduleRow, ScheduleSpec } from '../store/schedules.ts';
import type { Store } from '../store/store.ts';
import type { RunDefaults, WorkflowStepSpec } from '../store/workflows.ts';
import { storedToFlowControl } from './flow-control.ts';
import { readInvoke } from './invoke.ts';
import {
  type CallbackConfig,
  dedupKey,
  type HeaderList,
  type PublishOptions,
  parseDestination,
  parsePublishHeaders,
} from './publish-headers.ts';
import { readRedaction } from './redact.ts';

/** A publish, enqueue, batch item or schedule creation, as it arrives over HTTP. */
export interface PublishInput {
  /** What follows `/v2/publish/`: a URL (with its query) or a URL group name. */
  destination: string;
  headers: HeaderList;
  body: Uint8Array;
  /** Set by `/v2/enqueue/{queue}/…` and batch items with `queue`. */
  queueName?: string | undefined;
  callerIp?: string | undefined;
}

export interface MessageReceipt {
  messageId: string;
  url?: string;
  deduplicated?: boolean;
}

/** One receipt for a URL, one per endpoint for a URL group, a schedule id for `Upstash-Cron`. */
export type PublishResult = MessageReceipt | MessageReceipt[] | { scheduleId: string };

/** A validated publish, ready to be committed. Preparing never writes; committing never throws an ApiError. */
export type PreparedPublish =
  | { kind: 'messages'; specs: MessageSpec[]; toGroup: boolean; dedupKey: string | undefined }
  | { kind: 'schedule'; spec: ScheduleSpec };

interface Target {
  url: string;
  endpointName?: string | undefined;
  topicName?: string | undefined;
}

function targets(store: Store, destination: string): Target[] {
  const parsed = parseDestination(destination);
  if ('url' in parsed) return [{ url: parsed.url }];
  const group = store.urlGroups.get(parsed.urlGroup);
  if (!group)
    throw badRequest(`URL group "${parsed.urlGroup}" does not exist; add endpoints to it first`);
  if (group.endpoints.length === 0)
    throw badRequest(`URL group "${parsed.urlGroup}" has no endpoints`);
  return group.endpoints.map((endpoint) => ({
    url: endpoint.url,
    endpointName: endpoint.name,
    topicName: group.name,
  }));
}

function messageSpec(
  target: Target,
  options: PublishOptions,
  body: Uint8Array,
  extra: Partial<MessageSpec>,
): MessageSpec {
  return {
    url: target.url,
    method: options.method,
    headers: options.headers,
    body,
    topicName: target.topicName,
    endpointName: target.endpointName,
    callback: options.callback,
    failureCallback: options.failureCallback,
    callbackConfig: options.callbackConfig,
    maxRetries: options.maxRetries,
    retryDelay: options.retryDelay,
    timeoutMs: options.timeoutMs,
    notBefore: options.notBefore,
    label: options.label,
    flowControl: options.flowControl,
    redact: options.redact,
    workflow: options.workflow,
    ...extra,
  };
}

function scheduleSpec(
  destination: string,
  options: PublishOptions,
  input: PublishInput,
): ScheduleSpec {
  return {
    id: options.scheduleId,
    destination,
    cron: options.cron as string,
    method: options.method,
    headers: options.headers,
    body: input.body,
    retries: options.maxRetries,
    retryDelay: options.retryDelay,
    delayMs: options.delayMs,
    timeoutMs: options.timeoutMs,
    callback: options.callback,
    failureCallback: options.failureCallback,
    callbackConfig: options.callbackConfig,
    queueName: options.queueName ?? input.queueName,
    label: options.label,
    flowControl: options.flowControl,
    redact: options.redact,
    callerIp: input.callerIp,
  };
}

/** Validates a publish (or enqueue, or batch item). Throws an ApiError; writes nothing. */
export function preparePublish(store: Store, input: PublishInput, now: number): PreparedPublish {
  const options = parsePublishHeaders(input.headers, now);
  if (options.cron !== undefined) {
    // Publishing with Upstash-Cron creates a schedule, as hosted QStash does.
    targets(store, input.destination);
    return { kind: 'schedule', spec: scheduleSpec(input.destination, options, input) };
  }
  const list = targets(store, input.destination);
  const specs = list.map((target) =>
    messageSpec(target, options, input.body, {
      queueName: input.queueName,
      callerIp: input.callerIp,
    }),
  );
  return {
    kind: 'messages',
    specs,
    toGroup: list.length > 1 || list[0]?.topicName !== undefined,
    dedupKey: dedupKey(input.destination, options, input.body),
  };
}

/** Validates `POST /v2/schedules/{destination}`: an `Upstash-Cron` header is required. */
export function prepareSchedule(store: Store, input: PublishInput, now: number): ScheduleSpec {
  const options = parsePublishHeaders(input.headers, now);
  if (options.cron === undefined)
    throw badRequest('a schedule needs an Upstash-Cron header, like "*/5 * * * *"');
  targets(store, input.destination);
  return scheduleSpec(input.destination, options, input);
}

function markDeduplicated(result: PublishResult): PublishResult {
  if (Array.isArray(result)) return result.map((receipt) => ({ ...receipt, deduplicated: true }));
  return { ...result, deduplicated: true };
}

/**
 * Stores a prepared publish; call inside a transaction. A duplicate within the deduplication
 * window gets the first publish's receipt again, marked `deduplicated`, and stores nothing.
 */
export function commitPublish(store: Store, prepared: PreparedPublish, now: number): PublishResult {
  if (prepared.kind === 'schedule') {
    return { scheduleId: store.schedules.upsert(prepared.spec, now) };
  }
  if (prepared.dedupKey !== undefined) {
    const seen = store.dedup.find(prepared.dedupKey, now) as PublishResult | undefined;
    if (seen !== undefined) return markDeduplicated(seen);
  }
  const receipts = prepared.specs.map((spec) => {
    const messageId = createMessage(store, spec, now);
    return prepared.toGroup ? { messageId, url: spec.url } : { messageId };
  });
  const result: PublishResult = prepared.toGroup ? receipts : (receipts[0] as MessageReceipt);
  if (prepared.dedupKey !== undefined) store.dedup.remember(prepared.dedupKey, result, now);
  return result;
}

/** Stores one message (inside the caller's transaction); a message for an unknown queue creates it. */
export function createMessage(store: Store, spec: MessageSpec, now: number): string {
  if (spec.queueName !== undefined) store.queues.ensure(spec.queueName, now);
  store.flowKeys.seen(spec.flowControl, now);
  const { workflow } = spec;
  if (workflow && !workflow.init) {
    const state = store.workflows.state(workflow.runId);
    // The SDK reads a 400 here as "the run was cancelled" and stops.
    if (state !== undefined && state !== 'RUN_STARTED')
      throw badRequest(`workflow run ${workflow.runId} has ended (${state})`);
  }
  // Steps of a run, not the third-party calls a step makes (those go elsewhere).
  const step =
    workflow && (workflow.init || workflow.callType === undefined || workflow.callType === 'step')
      ? workflow
      : undefined;
  // An invoke starts the invoked run with the payload alone; the rest names the invoker.
  const invoke = step?.init && step.invoke ? readInvoke(spec.body) : undefined;
  let stored = invoke ? { ...spec, body: invoke.payload } : spec;
  if (step && !step.init)
    stored = withRunDefaults(stored, step, store.workflows.defaults(step.runId));
  const id = store.messages.create(stored, now);
  if (step)
    store.workflows.record(step, id, stored.body, now, {
      label: stored.label,
      flowControlKey: stored.flowControl?.key,
      callerIp: stored.callerIp,
      invoker: invoke?.invoker,
      defaults: step.init ? runDefaults(stored) : undefined,
    });
  return id;
}

function runDefaults(spec: MessageSpec): RunDefaults {
  return {
    retries: spec.maxRetries,
    retryDelay: spec.retryDelay,
    failureCallback: spec.failureCallback,
    failureCallbackOptions: spec.callbackConfig?.failureCallback,
    label: spec.label,
    flowControl: spec.flowControl,
  };
}

/** A step of a run takes each trigger setting it does not set itself. */
function withRunDefaults(
  spec: MessageSpec,
  step: WorkflowStepSpec,
  defaults: RunDefaults | undefined,
): MessageSpec {
  if (!defaults) return spec;
  const given = step.given ?? {};
  const next = { ...spec };
  if (!given.retries) next.maxRetries = defaults.retries;
  if (!given.retryDelay && defaults.retryDelay) next.retryDelay = defaults.retryDelay;
  if (!given.label && defaults.label) next.label = defaults.label;
  if (!given.flowControl && defaults.flowControl) next.flowControl = defaults.flowControl;
  if (!given.failureCallback && defaults.failureCallback) {
    next.failureCallback = defaults.failureCallback;
    if (defaults.failureCallbackOptions)
      next.callbackConfig = {
        ...next.callbackConfig,
        failureCallback: defaults.failureCallbackOptions,
      };
  }
  return next;
}

/** The messages a schedule publishes when it fires; none when its URL group has been deleted. */
export function scheduleMessages(store: Store, row: ScheduleRow, now: number): MessageSpec[] {
  let list: Target[];
  try {
    list = targets(store, row.destination);
  } catch {
    return [];
  }
  return list.map((target) => ({
    url: target.url,
    method: row.method,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
    topicName: target.topicName,
    endpointName: target.endpointName,
    queueName: row.queue_name ?? undefined,
    scheduleId: row.id,
    callback: row.callback ?? undefined,
    failureCallback: row.failure_callback ?? undefined,
    callbackConfig: row.callback_config
      ? (JSON.parse(row.callback_config) as CallbackConfig)
      : undefined,
    maxRetries: row.retries,
    retryDelay: row.retry_delay ?? undefined,
    timeoutMs: row.timeout_ms ?? undefined,
    notBefore: now + (row.delay_ms ?? 0),
    callerIp: row.caller_ip ?? undefined,
    label: row.label ?? undefined,
    flowControl: storedToFlowControl(row.flow_control_key, row.flow_control),
    redact: readRedaction(row.redact),
  }));
}

/** A dead letter sent again: a new message with the original's settings and a fresh retry count. */
export function republish(row: MessageRow, now: number): MessageSpec {
  return {
    url: row.url,
    method: row.method,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
    topicName: row.topic_name ?? undefined,
    endpointName: row.endpoint_name ?? undefined,
    queueName: row.queue_name ?? undefined,
    scheduleId: row.schedule_id ?? undefined,
    callback: row.callback ?? undefined,
    failureCallback: row.failure_callback ?? undefined,
    callbackConfig: row.callback_config
      ? (JSON.parse(row.callback_config) as CallbackConfig)
      : undefined,
    callbackOf: row.callback_of ?? undefined,
    maxRetries: row.max_retries,
    retryDelay: row.retry_delay ?? undefined,
    timeoutMs: row.timeout_ms ?? undefined,
    notBefore: now,
    callerIp: row.caller_ip ?? undefined,
    label: row.label ?? undefined,
    flowControl: storedToFlowControl(row.flow_control_key, row.flow_control),
    redact: readRedaction(row.redact),
  };
}
