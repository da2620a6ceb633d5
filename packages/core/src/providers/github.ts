// GitHub webhooks: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA-256 of the raw body keyed with
// the webhook's secret. Nothing else is signed: not a timestamp, not the delivery id, not the
// event name. So a captured delivery verifies for ever; the replay store refuses it for
// `replayWindow` seconds after its first use, and no verifier can do more.
import { malformed, type Provider, secondsOption, utf8Secrets } from './provider.ts';

export interface GitHubOptions {
  /** The webhook's secret; a list while rotating (any may have signed). */
  secret: string | readonly string[];
  /**
   * How long the replay store remembers a delivery (seconds). GitHub signs no timestamp, so this
   * is the only bound on a replay. Default 86,400 (a day).
   */
  replayWindow?: number;
}

const SIGNATURE = 'x-hub-signature-256';
const PREFIX = 'sha256=';

/** Verifies GitHub webhook signatures: `createVerifier({ provider: github({ secret }) })`. */
export function github(options: GitHubOptions): Provider {
  const secrets = utf8Secrets(options?.secret, 'github()');
  const window = secondsOption(options.replayWindow, 86_400, 'github()', 'replayWindow');
  return {
    name: 'github',
    header: SIGNATURE,
    secrets,
    encoding: 'hex',
    tolerance: undefined,
    replayWindow: window,
    read(header) {
      const value = header(SIGNATURE);
      if (!value) return undefined;
      // Shape only (a non-hex digit simply never matches the lower-case hex MAC): a regular
      // expression here cost 5 % of a verification.
      if (value.length !== PREFIX.length + 64 || !value.startsWith(PREFIX)) {
        throw malformed(SIGNATURE, 'Expected sha256= and 64 lower-case hex digits.');
      }
      return {
        signatures: [value.slice(PREFIX.length)],
        prefix: '',
        timestamp: undefined,
        // Not signed: for logs and routing, never for anything an attacker must not choose.
        id: header('x-github-delivery') ?? undefined,
        event: header('x-github-event') ?? undefined,
      };
    },
  };
}
