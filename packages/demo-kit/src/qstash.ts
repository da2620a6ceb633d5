// Joining a URL group at start, while the broker may still be booting.
import type { Client } from '@upstash/qstash';
import { retrying } from './process.ts';

/**
 * Adds `endpoint` to `group` (adding an endpoint that is already there changes nothing, so this
 * is safe on every start), retrying for a while if the broker does not answer yet.
 */
export function joinUrlGroup(
  client: Client,
  group: string,
  endpoint: { name: string; url: string },
  options: { attempts?: number; delayMs?: number } = {},
): Promise<void> {
  return retrying(() => client.urlGroups.addEndpoints({ name: group, endpoints: [endpoint] }), {
    attempts: options.attempts ?? 30,
    delayMs: options.delayMs ?? 1000,
  });
}
