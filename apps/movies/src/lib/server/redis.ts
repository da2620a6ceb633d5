// One Redis connection for the app, and the rule that keeps pages up when Redis is not:
// commands fail fast instead of queueing while it is away, the caller falls back to the
// origin, and the outage is logged once (and its end once), not on every request.
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/** What `run` returns when Redis could not be asked. */
export const UNAVAILABLE: unique symbol = Symbol('redis unavailable');

export interface Redis {
  readonly client: RedisClient;
  run<T>(command: (client: RedisClient) => Promise<T>): Promise<T | typeof UNAVAILABLE>;
  close(): Promise<void>;
}

export interface RedisOptions {
  url: string;
  /** A command that takes longer counts as Redis being unavailable. Default 1000 ms. */
  commandTimeoutMs?: number;
  log?: Pick<Console, 'warn' | 'info'>;
}

export function connectRedis(options: RedisOptions): Redis {
  const log = options.log ?? console;
  const timeoutMs = options.commandTimeoutMs ?? 1000;
  const client: RedisClient = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
    },
  });
  let down = false;
  const markDown = (reason: string) => {
    if (down) return;
    down = true;
    log.warn(
      `[movies] Redis at ${redact(options.url)} is unavailable (${reason}); serving pages straight from the origin until it is back.`,
    );
  };
  client.on('error', (error: Error) => markDown(error.message || error.name));
  client.on('ready', () => {
    if (down) log.info(`[movies] Redis at ${redact(options.url)} is back; caching again.`);
    down = false;
  });
  client.connect().catch((error: Error) => markDown(error.message));

  return {
    client,
    async run(command) {
      if (!client.isReady) {
        markDown('not connected');
        return UNAVAILABLE;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof UNAVAILABLE>((resolve) => {
        timer = setTimeout(() => {
          markDown(`no answer within ${timeoutMs} ms`);
          resolve(UNAVAILABLE);
        }, timeoutMs);
      });
      try {
        return await Promise.race([command(client), timeout]);
      } catch (error) {
        // A lost connection degrades; anything else (a wrong type, a bug) is a real error.
        if (client.isReady) throw error;
        markDown((error as Error).message);
        return UNAVAILABLE;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the configured URL';
  }
}
