// Joining a URL group at start, while the broker may still be booting.
import type { Client } from '@upstash/qstash';

/**
 * Adds `endpoint` to `group` (adding an endpoint that is already there changes nothing, so this
 * is safe on every start), retrying for a while if the broker does not answer yet.
 */
export async function joinUrlGroup(
  client: Client,
  group: string,
  endpoint: { name: string; url: string },
  options: { attempts?: number; delayMs?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.urlGroups.addEndpoints({ name: group, endpoints: [endpoint] });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1000));
    }
  }
}
