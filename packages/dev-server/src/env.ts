// For apps and scripts that talk to a `signet dev` already running elsewhere: the environment
// the official SDK and the Signet adapters need, with the keys asked from the broker itself
// (they persist in its data folder and may have been rotated, so defaults are not enough).
import { DEFAULT_PORT, DEV_TOKEN } from './server.ts';

export interface BrokerEnv {
  QSTASH_URL: string;
  QSTASH_TOKEN: string;
  QSTASH_CURRENT_SIGNING_KEY: string;
  QSTASH_NEXT_SIGNING_KEY: string;
}

export interface BrokerEnvOptions {
  /** Default `QSTASH_URL` from the environment, else `http://127.0.0.1:8080`. */
  url?: string;
  /** Default `QSTASH_TOKEN` from the environment, else the development token. */
  token?: string;
  /** How long to wait for the broker to answer (it may still be starting). Default 30 s. */
  timeoutMs?: number;
}

export async function brokerEnv(options: BrokerEnvOptions = {}): Promise<BrokerEnv> {
  const url = (options.url ?? process.env.QSTASH_URL ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(
    /\/+$/,
    '',
  );
  const token = options.token ?? process.env.QSTASH_TOKEN ?? DEV_TOKEN;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    let reason: string;
    try {
      const response = await fetch(`${url}/v2/keys`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) {
        const keys = (await response.json()) as { current: string; next: string };
        return {
          QSTASH_URL: url,
          QSTASH_TOKEN: token,
          QSTASH_CURRENT_SIGNING_KEY: keys.current,
          QSTASH_NEXT_SIGNING_KEY: keys.next,
        };
      }
      reason = `it answered ${response.status}`;
      // A wrong token will not fix itself by waiting.
      if (response.status === 401) throw new Error(`${url}/v2/keys refused the token (401)`);
    } catch (error) {
      if ((error as Error).message.includes('refused the token')) throw error;
      reason = (error as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `No QStash broker answered at ${url} (${reason}). Start one with \`signet dev\` (or \`pnpm dev\` at the repository root), or set QSTASH_URL and QSTASH_TOKEN.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
