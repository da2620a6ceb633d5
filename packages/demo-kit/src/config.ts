// The settings every demo service (orders, mailer) reads, with their defaults.
export interface ServiceConfig {
  port: number;
  /** The public URL QStash calls; hooks verify signatures against it. */
  appUrl: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  urlGroup: string;
  qstash: { url: string | undefined; token: string | undefined };
}

export function readServiceConfig(
  env: Record<string, string | undefined>,
  defaultPort: number,
): ServiceConfig {
  const port = Number(env.PORT ?? defaultPort);
  return {
    port,
    appUrl: (env.APP_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || '.data/pglite',
    urlGroup: env.ORDERS_URL_GROUP || 'orders',
    qstash: { url: env.QSTASH_URL || undefined, token: env.QSTASH_TOKEN || undefined },
  };
}
