// Standard Webhooks (https://www.standardwebhooks.com), as Svix, Resend, Clerk, Liveblocks and
// others sign: HMAC-SHA-256 over `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the
// base64 secret after its `whsec_` prefix; `webhook-signature` lists `v1,<base64>` entries
// separated by spaces, and any one matching is enough. Svix's own `svix-*` headers are read when
// the `webhook-*` ones are absent.
import { base64Decode } from '../encoding.ts';
import type { HeaderReader } from '../headers.ts';
import {
  jsonFacts,
  malformed,
  type Provider,
  secondsOption,
  secretList,
  timestampOf,
} from './provider.ts';

export interface StandardWebhooksOptions {
  /** `whsec_<base64>` (or the bare base64); a list while rotating (any may have signed). */
  secret: string | readonly string[];
  /** Seconds the `webhook-timestamp` may be from now, either way. Default 300 (the spec's). */
  tolerance?: number;
}

const SIGNATURE = 'webhook-signature';

/** The HMAC key of a `whsec_<base64>` secret (or bare base64): its decoded bytes. */
export function secretBytes(secret: string): Uint8Array {
  const bytes = base64Decode(secret.startsWith('whsec_') ? secret.slice(6) : secret);
  if (!bytes || bytes.length === 0) {
    throw new TypeError(
      '@signet/core: standardWebhooks() secret must be `whsec_` followed by base64 (as the sender shows it)',
    );
  }
  return bytes;
}

function headersOf(header: HeaderReader) {
  const signature = header(SIGNATURE);
  if (signature) return { signature, id: header('webhook-id'), ts: header('webhook-timestamp') };
  const svix = header('svix-signature');
  if (svix) return { signature: svix, id: header('svix-id'), ts: header('svix-timestamp') };
  return undefined;
}

/** Verifies Standard Webhooks signatures: `createVerifier({ provider: standardWebhooks({ secret }) })`. */
export function standardWebhooks(options: StandardWebhooksOptions): Provider {
  const secrets = secretList(options?.secret, 'standardWebhooks()').map(secretBytes);
  return {
    name: 'standard-webhooks',
    header: SIGNATURE,
    secrets,
    encoding: 'base64',
    tolerance: secondsOption(options.tolerance, 300, 'standardWebhooks()', 'tolerance'),
    replayWindow: 0,
    read(header) {
      const found = headersOf(header);
      if (!found) return undefined;
      const { signature, id, ts } = found;
      // The id is signed; a dot in it would make `<id>.<ts>.` ambiguous, so none is accepted.
      if (!id || id.includes('.'))
        throw malformed(SIGNATURE, 'webhook-id is missing or has a dot.');
      const timestamp = timestampOf(ts, 'webhook-timestamp');
      const signatures = signature
        .split(' ')
        .filter((entry) => entry.startsWith('v1,'))
        .map((entry) => entry.slice(3));
      if (signatures.length === 0) throw malformed(SIGNATURE, 'No v1 signature in the list.');
      return { signatures, prefix: `${id}.${ts}.`, timestamp, id, event: undefined };
    },
    describe: (text) => ({ event: jsonFacts(text, 'id', 'type').event }),
  };
}
