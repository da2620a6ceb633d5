// Everything this app reads from the environment, with its defaults.
export interface Config {
  port: number;
  /** The public URL QStash calls: hooks verify that each token names it (Signet's `origin`). */
  appUrl: string;
  /** PostgreSQL; unset: embedded PGlite in `pgliteDir`. */
  databaseUrl: string | undefined;
  pgliteDir: string;
  urlGroup: string;
  qstash: { url: string | undefined; token: string | undefined };
}

/** PORT (3300), APP_URL, DATABASE_URL or PGLITE_DIR, ORDERS_URL_GROUP, QSTASH_URL, QSTASH_TOKEN. */
export function readConfig(env: Record<string, string | undefined>): Config {
  const port = Number(env.PORT ?? 3300);
  return {
    port,
    appUrl: new URL(env.APP_URL || `http://127.0.0.1:${port}`).origin,
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || '.data/pglite',
    urlGroup: env.ORDERS_URL_GROUP || 'orders',
    qstash: { url: env.QSTASH_URL || undefined, token: env.QSTASH_TOKEN || undefined },
  };
}
