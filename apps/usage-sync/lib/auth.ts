// API keys are stored hashed; a request's key is hashed and looked up. Lookups are cached for a
// few seconds, because the hot path should cost one Redis call, not a database query too.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { type Plan, users } from './schema.ts';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface Caller {
  id: number;
  plan: Plan;
}

const CACHE_MS = 10_000;
const cache = new Map<string, { caller: Caller | null; until: number }>();

export function bearerKey(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1];
}

export async function findCaller(db: Db, apiKey: string): Promise<Caller | null> {
  const hash = hashApiKey(apiKey);
  const now = Date.now();
  const cached = cache.get(hash);
  if (cached && cached.until > now) return cached.caller;
  const [row] = await db
    .select({ id: users.id, plan: users.plan })
    .from(users)
    .where(eq(users.apiKeyHash, hash));
  const caller = row ?? null;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { caller, until: now + CACHE_MS });
  return caller;
}
