import { verifySignatureAppRouter } from '@signet/next';
import { config } from '../../../../lib/config.ts';
import { database } from '../../../../lib/db.ts';
import { withProblems } from '../../../../lib/problem.ts';
import { redis, replayStore } from '../../../../lib/redis.ts';
import { syncUsage } from '../../../../lib/sync.ts';

export const dynamic = 'force-dynamic';

// Called by the hourly schedule and by "Sync now", always through QStash: nobody else can. A
// failure (Redis or the database away) answers 503, and QStash retries.
export const POST = verifySignatureAppRouter(
  withProblems(async (_request, { signet }) => {
    const result = await syncUsage({
      db: await database(),
      redis: await redis(),
      prefix: config().redisPrefix,
      trigger: signet.scheduleId ? 'schedule' : 'manual',
      messageId: signet.id,
    });
    return Response.json(result);
  }),
  {
    // The token must name this app's public URL, whatever Host the request claims (QStash signs
    // every app on the account with the same keys). Without APP_URL: SIGNET_ORIGIN, if set.
    ...(config().appUrl && { origin: config().appUrl }),
    // Each token is accepted once: a captured delivery played again is refused.
    replay: replayStore,
    onError: (error, request) =>
      console.warn(
        `[usage-sync] refused ${request.method} ${new URL(request.url).pathname}: ${error.code}`,
      ),
  },
);
