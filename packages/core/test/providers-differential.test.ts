// Signet against each provider's official library, on random bodies, secrets, timestamps and
// mutations: both accept or both refuse, except where Signet is documented as stricter (the
// README's provider table lists each case). The official libraries also sign the requests.
import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { expect, it } from 'vitest';
import { type Build, builds } from './builds.ts';

type Provider = ReturnType<Build['stripe']>;

const RUNS = 1_500;
const stripeClient = new Stripe('sk_test_differential');
const now = () => Math.floor(Date.now() / 1000);

const MUTATIONS = [
  'none',
  'body',
  'signature',
  'secret',
  'old',
  'future',
  'header timestamp',
  'leading zero',
  'id',
  'uppercase',
  'whitespace',
] as const;
type Mutation = (typeof MUTATIONS)[number];

/** Where Signet refuses what the official library accepts, on purpose. */
const STRICTER: Record<string, readonly Mutation[]> = {
  // parseInt("0123") is 123 to the official libraries; Signet takes one spelling of a number.
  'standard-webhooks': ['leading zero'],
  // Stripe's library refuses only old timestamps; Signet also refuses ones far in the future.
  stripe: ['future', 'leading zero'],
  github: [],
};

const caseArb = fc.record({
  json: fc.jsonValue({ maxDepth: 2 }),
  secret: fc.string({ minLength: 1, maxLength: 40 }),
  secretBytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  offset: fc.integer({ min: -280, max: 280 }),
  id: fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/),
  mutation: fc.constantFrom(...MUTATIONS),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const flip = (text: string, at: number) => {
  const i = at % text.length;
  const char = text[i] === 'a' ? 'b' : 'a';
  return text.slice(0, i) + char + text.slice(i + 1);
};

interface Verdicts {
  official: boolean;
  signet: Record<string, boolean>;
}

const accepted = (run: () => unknown) =>
  Promise.resolve()
    .then(run)
    .then(
      (value) => value !== false,
      () => false,
    );

/** Whether each build's verifier, with the provider `make` builds, accepts the request. */
async function signetVerdicts(
  make: (build: Build) => Provider,
  body: string,
  headers: Record<string, string>,
): Promise<Record<string, boolean>> {
  const signet: Record<string, boolean> = {};
  for (const [name, build] of builds) {
    const verifier = build.createVerifier({ provider: make(build) });
    signet[name] = await accepted(() => verifier.verify({ body, headers }));
  }
  return signet;
}

async function standardWebhooksCase(c: Case): Promise<Verdicts> {
  const secret = `whsec_${btoa(String.fromCharCode(...c.secretBytes))}`;
  const body = JSON.stringify(c.json);
  let timestamp = now() + c.offset;
  if (c.mutation === 'old') timestamp = now() - 400;
  if (c.mutation === 'future') timestamp = now() + 400;
  const signer = new Webhook(c.mutation === 'secret' ? `whsec_${btoa('another')}` : secret);
  const signature = signer.sign(c.id, new Date(timestamp * 1000), body);
  const headers: Record<string, string> = {
    'webhook-id': c.mutation === 'id' ? `${c.id}x` : c.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
  if (c.mutation === 'signature')
    headers['webhook-signature'] = flip(signature, 5 + c.offset + 300);
  if (c.mutation === 'header timestamp') headers['webhook-timestamp'] = String(timestamp - 1);
  if (c.mutation === 'leading zero') headers['webhook-timestamp'] = `0${timestamp}`;
  if (c.mutation === 'whitespace') headers['webhook-signature'] = ` ${signature} `;
  const sent = c.mutation === 'body' ? `${body} ` : body;
  const official = await accepted(() =>
    new Webhook(secret).verify(sent, headers, { jsonParse: false }),
  );
  const signet = await signetVerdicts((build) => build.standardWebhooks({ secret }), sent, headers);
  return { official, signet };
}

async function githubCase(c: Case): Promise<Verdicts> {
  const body = JSON.stringify(c.json) || '{}';
  let signature = await githubSign(c.mutation === 'secret' ? `${c.secret}x` : c.secret, body);
  if (c.mutation === 'signature') signature = flip(signature, 7 + c.offset + 300);
  if (c.mutation === 'uppercase') signature = `sha256=${signature.slice(7).toUpperCase()}`;
  if (c.mutation === 'whitespace') signature = `${signature} `;
  const sent = c.mutation === 'body' ? `${body} ` : body;
  const official = await accepted(() => githubVerify(c.secret, sent, signature));
  const signet = await signetVerdicts((build) => build.github({ secret: c.secret }), sent, {
    'x-hub-signature-256': signature,
  });
  return { official, signet };
}

async function stripeCase(c: Case): Promise<Verdicts> {
  const secret = `whsec_${c.secret}`;
  const body = JSON.stringify({ id: `evt_${c.id}`, type: 'test', data: c.json });
  let timestamp = now() + c.offset;
  if (c.mutation === 'old') timestamp = now() - 400;
  if (c.mutation === 'future') timestamp = now() + 400;
  let header = stripeClient.webhooks.generateTestHeaderString({
    payload: body,
    secret: c.mutation === 'secret' ? `${secret}x` : secret,
    timestamp,
  });
  if (c.mutation === 'signature')
    header = flip(header, header.length - 1 - ((c.offset + 300) % 60));
  if (c.mutation === 'header timestamp')
    header = header.replace(`t=${timestamp}`, `t=${timestamp - 1}`);
  if (c.mutation === 'leading zero') {
    // Signed over the number as Stripe's library re-spells it, sent with a leading zero.
    header = header.replace(`t=${timestamp}`, `t=0${timestamp}`);
  }
  if (c.mutation === 'uppercase')
    header = header.replace(/v1=([0-9a-f]+)/, (_, hex: string) => `v1=${hex.toUpperCase()}`);
  if (c.mutation === 'whitespace') header = header.replace(',', ', ');
  const sent = c.mutation === 'body' ? `${body} ` : body;
  const official = await accepted(() => stripeClient.webhooks.constructEvent(sent, header, secret));
  const signet = await signetVerdicts((build) => build.stripe({ secret }), sent, {
    'stripe-signature': header,
  });
  return { official, signet };
}

const PROVIDERS = [
  ['standard-webhooks', standardWebhooksCase],
  ['github', githubCase],
  ['stripe', stripeCase],
] as const;

for (const [provider, run] of PROVIDERS) {
  it(`${provider}: agrees with the official library on ${RUNS} random cases, both builds, stricter only where documented`, async () => {
    const seen = new Map<Mutation, { both: number; officialOnly: number; signetOnly: number }>();
    let acceptedCount = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { official, signet } = await run(c);
        // The two builds always agree with each other.
        expect(signet.node, JSON.stringify(c)).toBe(signet.web);
        const ours = signet.node as boolean;
        const tally = seen.get(c.mutation) ?? { both: 0, officialOnly: 0, signetOnly: 0 };
        if (ours && official) tally.both++;
        if (official && !ours) tally.officialOnly++;
        if (ours && !official) tally.signetOnly++;
        seen.set(c.mutation, tally);
        if (ours) acceptedCount++;
        // Never looser than the official library.
        expect(
          ours && !official,
          `Signet accepted what ${provider}'s library refused: ${JSON.stringify(c)}`,
        ).toBe(false);
        if (official && !ours) {
          expect(
            STRICTER[provider],
            `undocumented refusal (${c.mutation}): ${JSON.stringify(c)}`,
          ).toContain(c.mutation);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator explored both sides: plenty accepted, and every documented case happened.
    expect(acceptedCount).toBeGreaterThan(RUNS / 20);
    for (const mutation of STRICTER[provider] ?? []) {
      expect(seen.get(mutation)?.officialOnly, `${mutation} happened`).toBeGreaterThan(0);
    }
    // A valid, unmutated request is accepted by both, every time.
    expect(seen.get('none')?.officialOnly ?? 0).toBe(0);
    expect(seen.get('none')?.both).toBeGreaterThan(0);
  }, 120_000);
}
