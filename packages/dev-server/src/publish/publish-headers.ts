import { createHash } from 'node:crypto';
import { parseCron } from '../cron.ts';
import { compileRetryDelay } from '../delivery/retry-policy.ts';
import { ApiError, badRequest } from '../errors.ts';
import { parseLabels, storedLabels } from '../store/labels.ts';
import type { WorkflowStepSpec } from '../store/workflows.ts';
import { parseDuration } from './duration.ts';
import { type FlowControl, parseFlowControl } from './flow-control.ts';
import { ID_PATTERN, LIMITS, wholeNumber, withinDuration } from './limits.ts';
import { parseRedaction, type Redaction } from './redact.ts';

export const DEFAULT_RETRIES = 3;
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']);
/** Headers never passed on to the destination. */
const HOP_BY_HOP = new Set([
  'host',
  'authorization',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'upgrade',
  'expect',
]);

/** How a callback message is sent: `Upstash-Callback-*` / `Upstash-Failure-Callback-*` headers. */
export interface CallbackOptions {
  method?: string;
  retries?: number;
  delayMs?: number;
  timeoutMs?: number;
  /** `Upstash-Callback-Forward-<name>` headers, sent to the callback as `<name>`. */
  headers?: Record<string, string>;
}

export interface CallbackConfig {
  callback?: CallbackOptions;
  failureCallback?: CallbackOptions;
}

export interface PublishOptions {
  method: string;
  /** What the destination receives: the content type and the forwarded headers. */
  headers: Record<string, string>;
  notBefore: number;
  maxRetries: number;
  retryDelay?: string | undefined;
  timeoutMs?: number | undefined;
  callback?: string | undefined;
  failureCallback?: string | undefined;
  /** Settings for the callback messages; undefined when none were given. */
  callbackConfig?: CallbackConfig | undefined;
  deduplicationId?: string | undefined;
  contentBasedDeduplication: boolean;
  cron?: string | undefined;
  scheduleId?: string | undefined;
  /** A schedule's queue (`Upstash-Queue-Name`). */
  queueName?: string | undefined;
  delayMs?: number | undefined;
  /** The labels, comma-joined (see store/labels.ts). */
  label?: string | undefined;
  flowControl?: FlowControl | undefined;
  redact?: Redaction | undefined;
  /** A message of an Upstash Workflow run (`Upstash-Workflow-RunId`). */
  workflow?: WorkflowStepSpec | undefined;
}

export type HeaderList = Iterable<readonly [name: string, value: string]>;

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

function url(value: string | undefined, header: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isHttpUrl(value))
    throw badRequest(`${header} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  return value;
}

function duration(
  value: string | undefined,
  header: string,
  range: { readonly min: number; readonly max: number },
): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw badRequest(
      `${header} must be a duration like "10s", "5m", "2h" or "1d", got ${JSON.stringify(value)}`,
    );
  return withinDuration(ms, value, header, range);
}

function method(value: string | undefined, header: string): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!METHODS.has(upper))
    throw badRequest(
      `${header} must be one of ${[...METHODS].join(', ')}, got ${JSON.stringify(value)}`,
    );
  return upper;
}

function retries(value: string | undefined, header: string): number | undefined {
  return value === undefined ? undefined : wholeNumber(value, header, LIMITS.retries);
}

/** `Upstash-Callback-Retries`, `…-Timeout`, `…-Delay`, `…-Method`, `…-Forward-<name>`. */
function callbackOptions(
  headers: Map<string, string>,
  prefix: string,
  label: string,
): CallbackOptions | undefined {
  const get = (name: string) => headers.get(`${prefix}${name}`);
  const options: CallbackOptions = {};
  const chosenMethod = method(get('method'), `${label}-Method`);
  if (chosenMethod) options.method = chosenMethod;
  const count = retries(get('retries'), `${label}-Retries`);
  if (count !== undefined) options.retries = count;
  const delayMs = duration(get('delay'), `${label}-Delay`, LIMITS.delayMs);
  if (delayMs !== undefined) options.delayMs = delayMs;
  const timeoutMs = duration(get('timeout'), `${label}-Timeout`, LIMITS.timeoutMs);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  const forward = `${prefix}forward-`;
  for (const [name, value] of headers) {
    const sent = callbackHeader(name, prefix, forward);
    if (sent === undefined) continue;
    options.headers ??= {};
    options.headers[sent] = value;
  }
  return Object.keys(options).length > 0 ? options : undefined;
}

/**
 * The header a callback is sent with for one of the publish's: `…-Forward-<name>` as `<name>`;
 * `…-Workflow-<name>` and `…-Feature-Set` as `Upstash-Workflow-<name>` and `Upstash-Feature-Set`
 * (how `context.call` and a failure function make their callback a delivery of the run).
 */
function callbackHeader(name: string, prefix: string, forward: string): string | undefined {
  if (name.startsWith(forward)) return name.slice(forward.length);
  if (name.startsWith(`${prefix}workflow-`)) return `upstash-${name.slice(prefix.length)}`;
  if (name === `${prefix}feature-set`) return 'upstash-feature-set';
  return undefined;
}

/** Reads the `Upstash-*` headers of a publish (or schedule, or batch item). Throws a 400 ApiError. */
export function parsePublishHeaders(
  list: HeaderList,
  now: number,
  options: { defaultMethod?: string } = {},
): PublishOptions {
  const headers = new Map<string, string>();
  for (const [name, value] of list) headers.set(name.toLowerCase(), value);
  const get = (name: string) => headers.get(name);

  const chosenMethod = method(
    get('upstash-method') ?? options.defaultMethod ?? 'POST',
    'Upstash-Method',
  ) as string;

  const delayMs = duration(get('upstash-delay'), 'Upstash-Delay', LIMITS.delayMs);
  let notBefore = now + (delayMs ?? 0);
  const notBeforeHeader = get('upstash-not-before');
  if (notBeforeHeader !== undefined) {
    const latest = Math.floor((now + LIMITS.notBeforeAheadMs) / 1000);
    const seconds = wholeNumber(notBeforeHeader, 'Upstash-Not-Before (unix seconds)', {
      min: 0,
      max: latest,
    });
    notBefore = seconds * 1000; // it wins over Upstash-Delay, as in QStash
  }

  const maxRetries = retries(get('upstash-retries'), 'Upstash-Retries') ?? DEFAULT_RETRIES;

  const retryDelay = get('upstash-retry-delay');
  if (retryDelay !== undefined) {
    try {
      compileRetryDelay(retryDelay);
    } catch (error) {
      throw badRequest(
        `Upstash-Retry-Delay is not a valid expression: ${(error as Error).message}`,
      );
    }
  }

  const cron = get('upstash-cron');
  if (cron !== undefined) {
    try {
      parseCron(cron);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
  }

  // What the destination receives: Upstash-Forward-<name> as <name>, or with
  // Upstash-Header-Forward every header but the broker's own and the hop-by-hop ones.
  const forwardAll = get('upstash-header-forward') === 'true';
  const deliver: Record<string, string> = {};
  const contentType = get('content-type');
  if (contentType) deliver['content-type'] = contentType;
  for (const [name, value] of headers) {
    if (name.startsWith('upstash-forward-')) deliver[name.slice('upstash-forward-'.length)] = value;
    else if (forwardAll && !name.startsWith('upstash-') && !HOP_BY_HOP.has(name))
      deliver[name] = value;
  }

  const callback = callbackOptions(headers, 'upstash-callback-', 'Upstash-Callback');
  const failureCallback = callbackOptions(
    headers,
    'upstash-failure-callback-',
    'Upstash-Failure-Callback',
  );
  const callbackConfig: CallbackConfig | undefined =
    callback || failureCallback
      ? { ...(callback && { callback }), ...(failureCallback && { failureCallback }) }
      : undefined;

  return {
    method: chosenMethod,
    headers: deliver,
    notBefore,
    maxRetries,
    retryDelay,
    timeoutMs: duration(get('upstash-timeout'), 'Upstash-Timeout', LIMITS.timeoutMs),
    callback: url(get('upstash-callback'), 'Upstash-Callback'),
    failureCallback: url(get('upstash-failure-callback'), 'Upstash-Failure-Callback'),
    callbackConfig,
    deduplicationId: get('upstash-deduplication-id'),
    contentBasedDeduplication: get('upstash-content-based-deduplication') === 'true',
    cron,
    scheduleId: get('upstash-schedule-id'),
    queueName: get('upstash-queue-name'),
    delayMs,
    label: storedLabels(parseLabels(get('upstash-label'))) ?? undefined,
    flowControl: parseFlowControl(
      get('upstash-flow-control-key'),
      get('upstash-flow-control-value'),
    ),
    redact: parseRedaction(get('upstash-redact-fields')),
    workflow: workflowStep(get),
  };
}

/** `Upstash-Workflow-RunId` and friends, as `@upstash/workflow` publishes a run's messages. */
function workflowStep(get: (name: string) => string | undefined): WorkflowStepSpec | undefined {
  const runId = get('upstash-workflow-runid');
  if (runId === undefined) return undefined;
  if (!ID_PATTERN.test(runId))
    throw badRequest(`Upstash-Workflow-RunId: ${JSON.stringify(runId)} is not a run id`);
  return {
    runId,
    url: get('upstash-workflow-url'),
    init: get('upstash-workflow-init') === 'true',
    callType: get('upstash-workflow-calltype'),
    invoke: get('upstash-workflow-invoke') === 'true',
    given: {
      retries: get('upstash-retries') !== undefined,
      retryDelay: get('upstash-retry-delay') !== undefined,
      failureCallback: get('upstash-failure-callback') !== undefined,
      label: get('upstash-label') !== undefined,
      flowControl: get('upstash-flow-control-key') !== undefined,
    },
  };
}

/** The deduplication key of a publish, or undefined when it asks for none. */
export function dedupKey(
  destination: string,
  options: PublishOptions,
  body: Uint8Array,
): string | undefined {
  if (options.deduplicationId !== undefined) return `id:${destination}:${options.deduplicationId}`;
  if (!options.contentBasedDeduplication) return undefined;
  const hash = createHash('sha256')
    .update(destination)
    .update('\0')
    .update(options.method)
    .update('\0')
    .update(JSON.stringify(Object.entries(options.headers).sort()))
    .update('\0')
    .update(body)
    .digest('base64url');
  return `content:${hash}`;
}

/** A publish destination: an http(s) URL, or the name of a URL group. */
export function parseDestination(raw: string): { url: string } | { urlGroup: string } {
  if (raw.startsWith('api/'))
    throw new ApiError(501, `QStash's provider APIs (${raw}) are not supported by signet dev`);
  if (/^https?:\/\//i.test(raw)) {
    if (!isHttpUrl(raw)) throw badRequest(`${JSON.stringify(raw)} is not a valid URL`);
    return { url: raw };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw))
    throw badRequest(`destination URLs must be http or https, got ${JSON.stringify(raw)}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(raw)) {
    throw badRequest(
      `${JSON.stringify(raw)} is neither an http(s) URL nor a URL group name (letters, digits, "_", "-", ".")`,
    );
  }
  return { urlGroup: raw };
}
