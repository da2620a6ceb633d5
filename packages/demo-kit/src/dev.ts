// For the demos' `pnpm dev` scripts: fill in the broker's address and signing keys from the
// running `signet dev` (unless QSTASH_* are already set, e.g. for hosted QStash), or stop with
// the reason; and with SIGNET_DEV_DATA set (the root `pnpm dev` passes it through), keep the
// app's PGlite data in a folder of its own under it.
import { join } from 'node:path';
import { brokerEnv } from '@signet/dev-server';

export async function prepareDevEnv(
  app: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeJS.ProcessEnv> {
  if (env.SIGNET_DEV_DATA && !env.PGLITE_DIR) env.PGLITE_DIR = join(env.SIGNET_DEV_DATA, app);
  if (env.QSTASH_CURRENT_SIGNING_KEY) return env;
  try {
    return Object.assign(env, await brokerEnv({ url: env.QSTASH_URL, token: env.QSTASH_TOKEN }));
  } catch (error) {
    console.error(`${app}: ${(error as Error).message}`);
    process.exit(1);
  }
}
