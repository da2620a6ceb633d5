// Joining the URL group at start, while the broker may still be booting.
import type { Client } from '@upstash/qstash';

/**
 * Adds `endpoint` to `group` (adding one that is already there changes nothing, so this is safe
 * on every start), trying again every second for half a minute if the broker does not answer.
 */
export async function joinUrlGroup(
  client: Client,
  group: string,
  endpoint: { name: string; url: string },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.urlGroups.addEndpoints({ name: group, endpoints: [endpoint] });
    } catch (error) {
      if (attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
