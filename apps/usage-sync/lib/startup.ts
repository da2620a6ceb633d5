import { config } from './config.ts';
import { ensureSchedule } from './qstash.ts';

const RETRY_MS = 2_000;
const ATTEMPTS = 15;

/** Registers the schedule in the background, retrying while the broker is not up yet. */
export function startup(): void {
  if (!config().qstash.token || !config().appUrl) {
    console.warn('[usage-sync] QSTASH_TOKEN or APP_URL is not set: no hourly sync is scheduled.');
    return;
  }
  void (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        const id = await ensureSchedule();
        console.info(`[usage-sync] schedule ${id} (${config().cron}) → ${config().appUrl}`);
        return;
      } catch (error) {
        if (attempt === ATTEMPTS) {
          console.error(
            `[usage-sync] could not create the sync schedule: ${(error as Error).message}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
}
