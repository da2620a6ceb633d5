const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * QStash durations: `"10s"`, `"5m"`, `"2h"`, `"1d"`, `"250ms"`, or a bare number of seconds
 * (the SDK sends `${n}s`). Returns milliseconds, or undefined for anything else.
 */
export function parseDuration(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = UNITS[match[2] ?? 's'] as number;
  const ms = amount * unit;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
