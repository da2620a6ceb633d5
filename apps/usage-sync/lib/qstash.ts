// The official QStash client, pointed at hosted QStash or `signet dev` by QSTASH_URL.
import { Client } from '@upstash/qstash';
import { config } from './config.ts';

export const CRON_PATH = '/api/cron/update-usage';

export function qstash(): Client {
  const { url, token } = config().qstash;
  if (!token) throw new Error('QSTASH_TOKEN is not set: the app cannot schedule or publish syncs.');
  return new Client({ token, ...(url && { baseUrl: url }) });
}

/** The public URL of the cron endpoint, which QStash calls and the signature is checked against. */
export function cronUrl(fallbackOrigin?: string): string {
  const origin = config().appUrl ?? fallbackOrigin;
  if (!origin) throw new Error('APP_URL is not set: the app does not know its public URL.');
  return `${origin}${CRON_PATH}`;
}

/**
 * Creates the hourly schedule, or updates it: the schedule id is fixed, so however often the
 * app starts there is exactly one.
 */
export async function ensureSchedule(client: Client = qstash()): Promise<string> {
  const { scheduleId, cron } = config();
  const { scheduleId: id } = await client.schedules.create({
    scheduleId,
    destination: cronUrl(),
    cron,
    body: JSON.stringify({ trigger: 'schedule' }),
    headers: { 'content-type': 'application/json' },
    retries: 3,
  });
  return id;
}
