// Every setting the app reads, with its default, in one place.
export interface Config {
  port: number;
  appUrl: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  urlGroup: string;
  qstash: { url: string | undefined; token: string | undefined };
}

export function readConfig(env: Record<string, string | undefined>): Config {
  const port = Number(env.PORT ?? 3100);
  return {
    port,
    appUrl: (env.APP_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || '.data/pglite',
    urlGroup: env.ORDERS_URL_GROUP || 'orders',
    qstash: { url: env.QSTASH_URL || undefined, token: env.QSTASH_TOKEN || undefined },
  };
}
