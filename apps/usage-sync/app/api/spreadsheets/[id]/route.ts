import { and, eq } from 'drizzle-orm';
import { bearerKey, findCaller } from '../../../../lib/auth.ts';
import { config } from '../../../../lib/config.ts';
import { database } from '../../../../lib/db.ts';
import { problem, withProblems } from '../../../../lib/problem.ts';
import { countCall } from '../../../../lib/quota.ts';
import { quotaKey, redis } from '../../../../lib/redis.ts';
import { spreadsheets } from '../../../../lib/schema.ts';

export const dynamic = 'force-dynamic';

// The metered API: authenticate, count the call (one atomic Redis operation), answer. While
// Redis or the database is away: 503 problem+json, never a 500 or a hang.
export const GET = withProblems(async function spreadsheet(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const key = bearerKey(request);
  if (!key)
    return problem(401, 'Unauthorized', 'Send your API key as `Authorization: Bearer <key>`.', {
      'www-authenticate': 'Bearer',
    });
  const db = await database();
  const caller = await findCaller(db, key);
  if (!caller)
    return problem(401, 'Unauthorized', 'Unknown API key.', { 'www-authenticate': 'Bearer' });

  const { limits, periodSeconds } = config();
  const quota = await countCall(
    await redis(),
    quotaKey(caller.id),
    limits[caller.plan],
    periodSeconds,
  );
  const rate = {
    'ratelimit-limit': String(quota.limit),
    'ratelimit-remaining': String(Math.max(0, quota.limit - quota.used)),
    'ratelimit-reset': String(quota.resetSeconds),
  };
  if (!quota.allowed) {
    return problem(
      429,
      'Too Many Requests',
      `The ${caller.plan} plan allows ${quota.limit} calls per period; the period ends in ${quota.resetSeconds} s.`,
      { ...rate, 'retry-after': String(quota.resetSeconds) },
    );
  }

  const { id } = await params;
  const sheetId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  const [sheet] = sheetId
    ? await db
        .select({ id: spreadsheets.id, name: spreadsheets.name, rows: spreadsheets.rows })
        .from(spreadsheets)
        .where(and(eq(spreadsheets.id, sheetId), eq(spreadsheets.ownerId, caller.id)))
    : [];
  // Someone else's sheet is "not found" too: its existence is not the caller's business.
  if (!sheet) return problem(404, 'Not Found', `You have no spreadsheet ${id}.`, rate);
  return Response.json(sheet, { headers: rate });
});
