import { config } from './config.ts';
import { retrying } from './lifecycle.ts';
import { ensureSchedule } from './qstash.ts';

/** Registers the schedule in the background, retrying for 30 s while the broker is not up yet. */
export function startup(): void {
  if (!config().qstash.token || !config().appUrl) {
    console.warn('[usage-sync] QSTASH_TOKEN or APP_URL is not set: no hourly sync is scheduled.');
    return;
  }
  retrying(ensureSchedule, { attempts: 15, delayMs: 2_000 }).then(
    (id) => console.info(`[usage-sync] schedule ${id} (${config().cron}) → ${config().appUrl}`),
    (error: Error) =>
      console.error(`[usage-sync] could not create the sync schedule: ${error.message}`),
  );
}
