// Stripe webhooks: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA-256 of
// `<t>.<body>` keyed with the endpoint's `whsec_…` secret as it is (not decoded). The event id
// and type come from the signed body.
import {
  jsonFacts,
  malformed,
  type Provider,
  secondsOption,
  timestampOf,
  utf8Secrets,
} from './provider.ts';

export interface StripeOptions {
  /** The endpoint's signing secret (`whsec_…`); a list while rolling it (any may have signed). */
  secret: string | readonly string[];
  /** Seconds `t` may be from now, either way. Default 300 (Stripe's). */
  tolerance?: number;
}

const SIGNATURE = 'stripe-signature';

/** Verifies Stripe webhook signatures: `createVerifier({ provider: stripe({ secret }) })`. */
export function stripe(options: StripeOptions): Provider {
  const secrets = utf8Secrets(options?.secret, 'stripe()');
  return {
    name: 'stripe',
    header: SIGNATURE,
    secrets,
    encoding: 'hex',
    tolerance: secondsOption(options.tolerance, 300, 'stripe()', 'tolerance'),
    replayWindow: 0,
    read(header) {
      const value = header(SIGNATURE);
      if (!value) return undefined;
      let t: string | undefined;
      const signatures: string[] = [];
      for (const item of value.split(',')) {
        const eq = item.indexOf('=');
        const key = item.slice(0, eq);
        const val = item.slice(eq + 1);
        // One spelling only: a repeated header (joined with ", ") or a second t is refused.
        if (eq <= 0 || /\s/.test(item))
          throw malformed(SIGNATURE, `Bad item ${JSON.stringify(item)}.`);
        if (key === 't') {
          if (t !== undefined) throw malformed(SIGNATURE, 'More than one t.');
          t = val;
        } else if (key === 'v1') signatures.push(val);
        // v0 (test mode's legacy scheme) and future schemes are ignored, as Stripe's library does.
      }
      const timestamp = timestampOf(t, SIGNATURE);
      if (signatures.length === 0) throw malformed(SIGNATURE, 'No v1 signature.');
      return { signatures, prefix: `${t}.`, timestamp, id: undefined, event: undefined };
    },
    describe: (text) => jsonFacts(text, 'id', 'type'),
  };
}
