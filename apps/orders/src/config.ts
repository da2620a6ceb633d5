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
  /** The broker's signing keys: the fulfilment workflow's `serve` verifies its deliveries with them. */
  signingKeys: { current: string; next: string };
  /** How long an order waits for its payment event (a workflow duration: 30s, 1h, 3d). */
  paymentWindow: Duration;
  /** How long after shipping the review request goes out. */
  reviewAfter: Duration;
  /** Stripe's webhook signing secret (`whsec_…`); unset: no payments (the Pay button says so). */
  stripeWebhookSecret: string | undefined;
}

export type Duration = `${bigint}${'s' | 'm' | 'h' | 'd'}`;

function duration(name: string, value: string | undefined, fallback: Duration): Duration {
  if (!value) return fallback;
  if (!/^\d+[smhd]$/.test(value))
    throw new Error(`${name} must be a number and a unit (s, m, h, d), like 30s or 3d`);
  return value as Duration;
}

/**
 * PORT (3100), APP_URL, DATABASE_URL or PGLITE_DIR, ORDERS_URL_GROUP, QSTASH_URL, QSTASH_TOKEN,
 * QSTASH_CURRENT_SIGNING_KEY, QSTASH_NEXT_SIGNING_KEY, PAYMENT_WINDOW (1h), REVIEW_AFTER (3d),
 * STRIPE_WEBHOOK_SECRET.
 */
export function readConfig(env: Record<string, string | undefined>): Config {
  const port = Number(env.PORT ?? 3100);
  return {
    port,
    appUrl: new URL(env.APP_URL || `http://127.0.0.1:${port}`).origin,
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || '.data/pglite',
    urlGroup: env.ORDERS_URL_GROUP || 'orders',
    qstash: { url: env.QSTASH_URL || undefined, token: env.QSTASH_TOKEN || undefined },
    signingKeys: {
      current: env.QSTASH_CURRENT_SIGNING_KEY ?? '',
      next: env.QSTASH_NEXT_SIGNING_KEY ?? '',
    },
    paymentWindow: duration('PAYMENT_WINDOW', env.PAYMENT_WINDOW, '1h'),
    reviewAfter: duration('REVIEW_AFTER', env.REVIEW_AFTER, '3d'),
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
  };
}
