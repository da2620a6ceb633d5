import { asc, count, desc } from 'drizzle-orm';
import { config } from '../lib/config.ts';
import { database } from '../lib/db.ts';
import { isUnavailable } from '../lib/problem.ts';
import { quotaKey, redis } from '../lib/redis.ts';
import { syncRuns, users } from '../lib/schema.ts';
import { AutoRefresh } from './auto-refresh.tsx';

export const dynamic = 'force-dynamic';

const SHOWN = 50;
const time = (date: Date | null) =>
  date ? `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC` : 'never';

export default async function Dashboard({
  searchParams,
}: {
  searchParams: Promise<{ queued?: string }>;
}) {
  const db = await database();
  const [people, [{ total } = { total: 0 }], [lastRun]] = await Promise.all([
    db.select().from(users).orderBy(asc(users.id)).limit(SHOWN),
    db.select({ total: count() }).from(users),
    db.select().from(syncRuns).orderBy(desc(syncRuns.id)).limit(1),
  ]);
  // Live counters are Redis's; while it is away the page still shows what the database knows.
  const live: (string | null)[] | undefined = people.length
    ? await redis()
        .then((client) => client.mGet(people.map((user) => quotaKey(user.id))))
        .catch((error: unknown) => {
          if (isUnavailable(error)) return undefined;
          throw error;
        })
    : [];
  const { limits, cron } = config();
  const { queued } = await searchParams;

  return (
    <main>
      <AutoRefresh />
      <h1>API usage</h1>
      <p className="muted">
        Calls are counted in Redis as they happen; a signed QStash schedule (<code>{cron}</code>)
        folds the counters into the database.
      </p>

      <section className="panel row" aria-label="Last sync">
        <div data-testid="last-sync">
          <strong>Last sync:</strong>{' '}
          {lastRun ? (
            <>
              {time(lastRun.finishedAt)} ({lastRun.trigger}) · scanned {lastRun.scanned}, updated{' '}
              {lastRun.updated}, skipped {lastRun.skipped}
            </>
          ) : (
            'never'
          )}
          {queued ? <div className="muted">Sync queued as message {queued}.</div> : null}
          {live ? null : (
            <div className="warn" role="status">
              Redis is unavailable: live usage is not shown, and API calls answer 503 until it is
              back.
            </div>
          )}
        </div>
        <form method="post" action="/api/sync-now">
          <button type="submit">Sync now</button>
        </form>
      </section>

      <section className="panel">
        <table>
          <thead>
            <tr>
              <th>User</th>
              <th>Plan</th>
              <th className="num">Live usage (Redis)</th>
              <th className="num">Synced usage (database)</th>
              <th>Synced at</th>
            </tr>
          </thead>
          <tbody>
            {people.map((user, index) => {
              const used = Number(live?.[index] ?? 0);
              const share = Math.min(100, (used / limits[user.plan]) * 100);
              return (
                <tr key={user.id} data-user={user.email}>
                  <td data-label="User">{user.email}</td>
                  <td data-label="Plan">
                    <span className={`plan ${user.plan}`}>{user.plan}</span>
                  </td>
                  <td className="num" data-label="Live usage (Redis)" data-testid="live">
                    {live ? used : '–'} / {limits[user.plan]}
                    <div className="bar">
                      <span className={share >= 100 ? 'full' : ''} style={{ width: `${share}%` }} />
                    </div>
                  </td>
                  <td className="num" data-label="Synced usage (database)" data-testid="synced">
                    {user.usage}
                  </td>
                  <td className="muted" data-label="Synced at">
                    {time(user.usageSyncedAt)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {total > SHOWN ? (
          <p className="muted">
            Showing {SHOWN} of {total} users.
          </p>
        ) : null}
      </section>

      <section className="panel">
        <strong>Try it:</strong>{' '}
        <code>
          curl -H &apos;Authorization: Bearer sk_demo_alice&apos; {config().appUrl ?? ''}
          /api/spreadsheets/1
        </code>
      </section>
    </main>
  );
}
