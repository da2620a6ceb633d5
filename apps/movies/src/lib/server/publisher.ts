// Queues a background refresh through QStash (or `signet dev`) with the official client.
import { Client } from '@upstash/qstash';
import type { Config } from './config.ts';

export type PublishRefresh = (request: {
  id: number;
  deduplicationId: string;
  /** The origin the refresh endpoint is reached at. */
  appOrigin: string;
}) => Promise<void>;

export const REFRESH_PATH = '/api/refresh';

export function createPublisher(
  config: Config['qstash'],
  log: Pick<Console, 'warn'> = console,
): PublishRefresh {
  if (!config.token) {
    let warned = false;
    return async () => {
      if (!warned)
        log.warn('[movies] QSTASH_TOKEN is not set: stale entries are served but never refreshed.');
      warned = true;
    };
  }
  const client = new Client({ token: config.token, ...(config.url && { baseUrl: config.url }) });
  return async ({ id, deduplicationId, appOrigin }) => {
    await client.publishJSON({
      url: `${appOrigin}${REFRESH_PATH}`,
      body: { id },
      deduplicationId,
      retries: 3,
    });
  };
}
