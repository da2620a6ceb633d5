// `pnpm bench`: each webhook provider's verify through Signet (both builds) against the provider's
// official library and a hand-written node:crypto floor, side by side in one run, 1 KiB JSON
// body. Interleaved rounds, medians; compare the ratios, not the absolute numbers. The official
// Standard Webhooks and Stripe libraries also parse the JSON (that is what their callers get);
// Signet parses Stripe's body too (for the event id and type), and Standard Webhooks' for the type.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import { BENCH_BODY } from '@signet/test-kit';
import { recordBench } from '@signet/test-kit/bench-record';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import * as nodeBuild from '../dist/index.node.js';
import * as webBuild from '../dist/index.web.js';
import { interleavedRounds, median, opsPerSecond, printTable, ratio, spread } from './rounds.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 700);
const body = BENCH_BODY;
const now = () => Math.floor(Date.now() / 1000);

const swSecret = `whsec_${Buffer.from('bench standard webhooks secret!!').toString('base64')}`;
// KeyObjects made once: a Buffer key is imported again on every HMAC (~20 µs on Node 24).
const swKey = createSecretKey(Buffer.from(swSecret.slice(6), 'base64'));
const ghSecret = 'bench github secret';
const ghKey = createSecretKey(Buffer.from(ghSecret));
const stripeSecret = 'whsec_bench_stripe_secret';
const stripeKey = createSecretKey(Buffer.from(stripeSecret));
const stripeClient = new Stripe('sk_test_bench');

const swHeaders = (() => {
  const id = 'msg_bench';
  const timestamp = new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(swSecret).sign(id, timestamp, body),
  };
})();
const ghHeaders = { 'x-hub-signature-256': await githubSign(ghSecret, body) };
const stripeHeaders = {
  'stripe-signature': stripeClient.webhooks.generateTestHeaderString({
    payload: body,
    secret: stripeSecret,
  }),
};

const equalText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

// Hand-written floors: the least a correct check does (MAC, constant-time compare, timestamp).
const floors = {
  standard: () => {
    const ts = Number(swHeaders['webhook-timestamp']);
    if (Math.abs(now() - ts) > 300) throw new Error('old');
    const mac = createHmac('sha256', swKey)
      .update(`${swHeaders['webhook-id']}.${swHeaders['webhook-timestamp']}.`)
      .update(body)
      .digest('base64');
    if (!swHeaders['webhook-signature'].split(' ').some((entry) => equalText(entry.slice(3), mac)))
      throw new Error('invalid');
  },
  github: () => {
    const mac = `sha256=${createHmac('sha256', ghKey).update(body).digest('hex')}`;
    if (!equalText(mac, ghHeaders['x-hub-signature-256'])) throw new Error('invalid');
  },
  stripe: () => {
    const header = stripeHeaders['stripe-signature'];
    const t = /t=(\d+)/.exec(header)?.[1] ?? '';
    if (now() - Number(t) > 300) throw new Error('old');
    const mac = createHmac('sha256', stripeKey).update(`${t}.`).update(body).digest('hex');
    if (!header.split(',').some((item) => item.startsWith('v1=') && equalText(item.slice(3), mac)))
      throw new Error('invalid');
  },
};

const verifierFor = (build: typeof nodeBuild, provider: 'standard' | 'github' | 'stripe') =>
  build.createVerifier({
    provider:
      provider === 'standard'
        ? build.standardWebhooks({ secret: swSecret })
        : provider === 'github'
          ? build.github({ secret: ghSecret })
          : build.stripe({ secret: stripeSecret }),
  });
const headersOf = { standard: swHeaders, github: ghHeaders, stripe: stripeHeaders };
const official = {
  standard: () => new Webhook(swSecret).verify(body, swHeaders),
  github: async () => {
    if (!(await githubVerify(ghSecret, body, ghHeaders['x-hub-signature-256'])))
      throw new Error('invalid');
  },
  stripe: () =>
    stripeClient.webhooks.constructEvent(body, stripeHeaders['stripe-signature'], stripeSecret),
};

type ProviderKey = keyof typeof official;
const PROVIDERS: ProviderKey[] = ['standard', 'github', 'stripe'];
const tasks: Record<string, (provider: ProviderKey) => unknown> = {};
for (const [name, build] of [
  ['signet (node build)', nodeBuild],
  ['signet (web build)', webBuild],
] as const) {
  const verifiers = Object.fromEntries(PROVIDERS.map((p) => [p, verifierFor(build, p)])) as Record<
    ProviderKey,
    ReturnType<typeof verifierFor>
  >;
  tasks[name] = (p) => verifiers[p].verify({ signature: undefined, body, headers: headersOf[p] });
}
tasks['official library'] = (p) => official[p]();
tasks['node:crypto floor'] = (p) => floors[p]();

// Every task must actually verify, and Signet must refuse a tampered body.
for (const provider of PROVIDERS) {
  for (const task of Object.values(tasks)) await task(provider);
  const tampered = await verifierFor(nodeBuild, provider)
    .verify({ signature: undefined, body: `${body} `, headers: headersOf[provider] })
    .then(
      () => true,
      () => false,
    );
  if (tampered) throw new Error(`${provider}: a tampered body verified`);
}

const samples = await interleavedRounds(ROUNDS, TIME_MS, (bench) => {
  for (const provider of PROVIDERS)
    for (const [name, task] of Object.entries(tasks))
      bench.add(`${name}|${provider}`, () => task(provider));
});

const ops = (name: string, provider: ProviderKey) =>
  median(samples.get(`${name}|${provider}`) ?? [0]);
console.log(
  `\n@signet/core providers, 1 KiB JSON body, Node ${process.version}, median of ${ROUNDS} interleaved rounds (ops/s)\n`,
);
const rows: string[][] = [
  ['provider', 'implementation', 'ops/s', 'spread', 'vs official', 'vs floor'],
];
for (const provider of PROVIDERS) {
  const base = ops('official library', provider);
  const floor = ops('node:crypto floor', provider);
  for (const name of Object.keys(tasks)) {
    const value = ops(name, provider);
    rows.push([
      provider,
      name,
      opsPerSecond(value),
      spread(samples.get(`${name}|${provider}`) ?? [0]),
      ratio(value, base),
      ratio(value, floor),
    ]);
  }
}
printTable(rows, 2);

const PROVIDER_NAMES: Record<ProviderKey, string> = {
  standard: 'Standard Webhooks',
  github: 'GitHub',
  stripe: 'Stripe',
};
const TASK_NAMES: Record<string, string> = {
  'signet (node build)': 'Node build',
  'signet (web build)': 'Web build',
  'official library': 'official library',
  'node:crypto floor': 'node:crypto floor',
};
recordBench({
  id: '12-core-providers',
  title: '@signet/core providers, 1 KiB body, against each official library',
  conditions: `One process, tinybench, ${ROUNDS} interleaved rounds of ${TIME_MS} ms per case; a 1 KiB JSON body. Official libraries: standardwebhooks (Webhook.verify), @octokit/webhooks-methods (verify), stripe (webhooks.constructEvent). The floor is a hand-written node:crypto check per provider (MAC, constant-time compare, timestamp).`,
  unit: 'ops/s',
  rows: PROVIDERS.flatMap((provider) =>
    Object.keys(tasks).map((name) => ({
      group: PROVIDER_NAMES[provider],
      label: TASK_NAMES[name] ?? name,
      samples: samples.get(`${name}|${provider}`) ?? [],
    })),
  ),
  ratios: PROVIDERS.flatMap((provider) => [
    {
      group: PROVIDER_NAMES[provider],
      label: 'Node build ÷ official',
      of: 'Node build',
      to: 'official library',
      chart: true,
    },
    {
      group: PROVIDER_NAMES[provider],
      label: 'Web build ÷ official',
      of: 'Web build',
      to: 'official library',
      chart: true,
    },
    {
      group: PROVIDER_NAMES[provider],
      label: 'Node build ÷ floor',
      of: 'Node build',
      to: 'node:crypto floor',
    },
  ]),
});
