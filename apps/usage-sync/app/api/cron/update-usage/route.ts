import { verifySignatureAppRouter } from '@signet/next';
import { config } from '../../../../lib/config.ts';
import { database } from '../../../../lib/db.ts';
import { CRON_PATH } from '../../../../lib/qstash.ts';
import { redis } from '../../../../lib/redis.ts';
import { syncUsage } from '../../../../lib/sync.ts';

export const dynamic = 'force-dynamic';

// Called by the hourly schedule and by "Sync now", always through QStash: nobody else can.
export const POST = verifySignatureAppRouter(
  async (_request, { signet }) => {
    const result = await syncUsage({
      db: await database(),
      redis: await redis(),
      prefix: config().redisPrefix,
      trigger: signet.scheduleId ? 'schedule' : 'manual',
      messageId: signet.id,
    });
    return Response.json(result);
  },
  // QStash signs the public URL; behind a proxy the app may see another one.
  config().appUrl ? { url: `${config().appUrl}${CRON_PATH}` } : {},
);
