// Cron expressions as QStash takes them, parsed by croner (used by publishing and by schedules).
import { Cron } from 'croner';

/**
 * A QStash cron expression: five fields, optionally prefixed with `CRON_TZ=<zone> `. Parsed by
 * croner; throws with a readable message for anything else.
 */
export function parseCron(expression: string): Cron {
  const match = /^\s*(?:CRON_TZ=(\S+)\s+)?(.+?)\s*$/.exec(expression);
  const timezone = match?.[1];
  const pattern = match?.[2] ?? '';
  if (pattern.split(/\s+/).length !== 5) {
    throw new Error(
      `"${expression}" is not a cron expression: five fields (minute hour day month weekday) are needed`,
    );
  }
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new Error(
        `"${expression}" names an unknown time zone "${timezone}" (use an IANA name like Europe/Berlin)`,
      );
    }
  }
  try {
    const cron = new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) });
    cron.nextRun(); // croner checks some things only when asked for a run
    return cron;
  } catch (error) {
    throw new Error(`"${expression}" is not a valid cron expression: ${(error as Error).message}`);
  }
}

export function nextRun(expression: string, after: number): number | undefined {
  return parseCron(expression).nextRun(new Date(after))?.getTime();
}
