// The hot path: one atomic Redis round trip per API call. The script counts a call only when it
// is allowed, so exactly `limit` calls succeed however many arrive at once, and starts the
// period (sets the expiry) on the first call.
import type { RedisClient } from './redis.ts';

const SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then
  return {0, used, redis.call('TTL', KEYS[1])}
end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return {1, used, redis.call('TTL', KEYS[1])}
`;

export interface QuotaDecision {
  allowed: boolean;
  used: number;
  limit: number;
  /** Seconds until the period (and the counter) ends. */
  resetSeconds: number;
}

let sha: string | undefined;

async function run(
  client: RedisClient,
  key: string,
  limit: number,
  periodSeconds: number,
): Promise<unknown> {
  const args = { keys: [key], arguments: [String(limit), String(periodSeconds)] };
  sha ??= await client.scriptLoad(SCRIPT);
  try {
    return await client.evalSha(sha, args);
  } catch (error) {
    // After a SCRIPT FLUSH or a failover the script is gone: load it again, once.
    if (!(error as Error).message.includes('NOSCRIPT')) throw error;
    sha = await client.scriptLoad(SCRIPT);
    return client.evalSha(sha, args);
  }
}

export async function countCall(
  client: RedisClient,
  key: string,
  limit: number,
  periodSeconds: number,
): Promise<QuotaDecision> {
  const [allowed, used, ttl] = (await run(client, key, limit, periodSeconds)) as [
    number,
    number,
    number,
  ];
  return { allowed: allowed === 1, used, limit, resetSeconds: ttl > 0 ? ttl : periodSeconds };
}
