// For the demos' `pnpm dev` scripts: fill in the broker's address and signing keys from the
// running `signet dev` (unless QSTASH_* are already set, e.g. for hosted QStash), or stop with
// the reason.
import { brokerEnv } from '@signet/dev-server';

export async function withBrokerEnv(app: string, env: NodeJS.ProcessEnv = process.env): Promise<NodeJS.ProcessEnv> {
  if (env.QSTASH_CURRENT_SIGNING_KEY) return env;
  try {
    return Object.assign(env, await brokerEnv({ url: env.QSTASH_URL, token: env.QSTASH_TOKEN }));
  } catch (error) {
    console.error(`${app}: ${(error as Error).message}`);
    process.exit(1);
  }
}
