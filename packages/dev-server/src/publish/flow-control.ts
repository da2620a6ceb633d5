// `Upstash-Flow-Control-Key` and `Upstash-Flow-Control-Value` (`parallelism=2, rate=10,
// period=1m`, as the SDK writes them): deliveries sharing a key never exceed `parallelism` at
// once, nor `rate` starts per `period`.
import { badRequest } from '../errors.ts';
import { parseDuration } from './duration.ts';
import { ID_PATTERN, LIMITS, wholeNumber, withinDuration } from './limits.ts';

export interface FlowControl {
  key: string;
  parallelism?: number;
  rate?: number;
  /** The rate's period in milliseconds (default a second). */
  periodMs?: number;
}

export function parseFlowControl(
  key: string | undefined,
  value: string | undefined,
): FlowControl | undefined {
  if (key === undefined && value === undefined) return undefined;
  if (!key || !ID_PATTERN.test(key)) {
    throw badRequest(
      `Upstash-Flow-Control-Key must be 1 to 200 letters, digits, "_", "-", "." or ":", got ${JSON.stringify(key ?? '')}`,
    );
  }
  const flow: FlowControl = { key };
  for (const part of (value ?? '').split(',')) {
    if (part.trim() === '') continue;
    const [name, setting, extra] = part.split('=').map((piece) => piece.trim());
    if (setting === undefined || extra !== undefined)
      throw badRequest(`Upstash-Flow-Control-Value: "${part.trim()}" is not name=value`);
    if (name === 'parallelism') {
      flow.parallelism = wholeNumber(setting, 'flow-control parallelism', LIMITS.parallelism);
    } else if (name === 'rate' || name === 'ratePerSecond') {
      flow.rate = wholeNumber(setting, 'flow-control rate', LIMITS.flowRate);
    } else if (name === 'period') {
      const ms = parseDuration(setting);
      if (ms === undefined)
        throw badRequest(
          `flow-control period must be a duration like "1s" or "1m", got "${setting}"`,
        );
      flow.periodMs = withinDuration(ms, setting, 'flow-control period', LIMITS.flowPeriodMs);
    } else {
      throw badRequest(
        `Upstash-Flow-Control-Value: unknown setting "${name}" (parallelism, rate, period)`,
      );
    }
  }
  if (flow.parallelism === undefined && flow.rate === undefined) {
    throw badRequest('Upstash-Flow-Control-Value needs parallelism=<n> or rate=<n>');
  }
  return flow;
}

/** What is stored beside the key: the settings as JSON. */
export function storedFlowControl(flow: FlowControl | undefined): string | null {
  if (!flow) return null;
  const { key: _key, ...settings } = flow;
  return JSON.stringify(settings);
}

/** A stored key and settings, back as a FlowControl (for a schedule's runs, a DLQ retry). */
export function storedToFlowControl(
  key: string | null | undefined,
  stored: string | null | undefined,
): FlowControl | undefined {
  if (!key) return undefined;
  return { key, ...(stored ? (JSON.parse(stored) as Omit<FlowControl, 'key'>) : {}) };
}

/** The API's fields for a stored key and settings (`parallelism`, `rate`, `period` in seconds). */
export function flowControlFields(
  key: string | null | undefined,
  stored: string | null | undefined,
): Record<string, number | string> {
  if (!key) return {};
  const settings = stored ? (JSON.parse(stored) as Omit<FlowControl, 'key'>) : {};
  const fields: Record<string, number | string> = { flowControlKey: key };
  if (settings.parallelism !== undefined) fields.parallelism = settings.parallelism;
  if (settings.rate !== undefined) {
    fields.rate = settings.rate;
    fields.period = Math.round((settings.periodMs ?? 1000) / 1000);
  }
  return fields;
}
