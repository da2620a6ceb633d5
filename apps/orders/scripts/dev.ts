// `npm run dev`: the broker's address and signing keys from the `signet dev` running on this
// machine (unless QSTASH_* are already set, e.g. for hosted QStash in .env), then the server.
// With SIGNET_DEV_DATA set (the monorepo's `pnpm dev` sets it), PGlite keeps its data there.
import { join } from 'node:path';
import { brokerEnv } from '@signet/dev-server';
import { DEV_STRIPE_WEBHOOK_SECRET } from './dev-secrets.ts';

const env = process.env;
env.STRIPE_WEBHOOK_SECRET ||= DEV_STRIPE_WEBHOOK_SECRET;
if (env.SIGNET_DEV_DATA && !env.PGLITE_DIR) env.PGLITE_DIR = join(env.SIGNET_DEV_DATA, 'orders');
if (!env.QSTASH_CURRENT_SIGNING_KEY) {
  try {
    Object.assign(env, await brokerEnv({ url: env.QSTASH_URL, token: env.QSTASH_TOKEN }));
  } catch (error) {
    console.error(`[orders] ${(error as Error).message}`);
    process.exit(1);
  }
}
await import('../src/server.ts');
