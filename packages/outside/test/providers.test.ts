// The Express README's webhooks example (Stripe, GitHub, Standard Webhooks), in a brand-new npm
// project with Signet from its packed tarballs: each provider's own library signs a request that
// reaches its handler; unsigned and wrongly signed ones get a 401 problem.
import { sign as signGitHub } from '@octokit/webhooks-methods';
import { eventually } from '@signet/test-kit';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answers,
  freePort,
  newProject,
  npm,
  type Running,
  start,
  withTarballs,
  write,
} from './project.ts';
import { readme } from './readme.ts';

const SECRETS = {
  STRIPE_WEBHOOK_SECRET: 'whsec_outside_stripe_secret',
  GITHUB_WEBHOOK_SECRET: 'outside github secret',
  WEBHOOK_SECRET: `whsec_${btoa('outside standard webhooks secret')}`,
};

describe('the Express README’s webhooks example, in a brand-new npm project', () => {
  const example = readme('packages/express/README.md');
  let server: Running;
  let origin: string;

  beforeAll(async () => {
    expect(example.text).toContain('npm install @signet/express @signet/core express');
    const dir = newProject('webhooks');
    npm(dir, ['install', ...withTarballs(['@signet/express', '@signet/core', 'express'])]);
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    write(dir, { 'webhooks.mts': example.files['webhooks.mts'] as string });
    server = await start(dir, process.execPath, ['webhooks.mts'], {
      env: { PORT: String(port), ...SECRETS },
      ready: answers(`${origin}/`),
    });
  });
  afterAll(() => server?.stop());

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('lets in a Stripe event signed by stripe’s own test helper', async () => {
    const payload = JSON.stringify({ id: 'evt_outside', type: 'invoice.paid', data: {} });
    const header = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
      payload,
      secret: SECRETS.STRIPE_WEBHOOK_SECRET,
    });
    const response = await post('/webhooks/stripe', payload, { 'stripe-signature': header });
    expect(response.status, await response.clone().text()).toBe(200);
    await eventually('the handler’s log', () =>
      server.output().includes('stripe invoice.paid evt_outside'),
    );
  });

  it('lets in a GitHub delivery signed by @octokit/webhooks-methods', async () => {
    const payload = JSON.stringify({ zen: 'Keep it logically awesome.' });
    const response = await post('/webhooks/github', payload, {
      'x-hub-signature-256': await signGitHub(SECRETS.GITHUB_WEBHOOK_SECRET, payload),
      'x-github-event': 'ping',
      'x-github-delivery': 'delivery-outside',
    });
    expect(response.status).toBe(200);
    await eventually('the handler’s log', () =>
      server.output().includes('github ping delivery-outside'),
    );
  });

  it('lets in a Standard Webhooks message signed by standardwebhooks', async () => {
    const payload = JSON.stringify({ type: 'user.created', data: {} });
    const id = 'msg_outside';
    const timestamp = new Date();
    const signature = new Webhook(SECRETS.WEBHOOK_SECRET).sign(id, timestamp, payload);
    const response = await post('/webhooks/standard', payload, {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    });
    expect(response.status).toBe(200);
    await eventually('the handler’s log', () =>
      server.output().includes('standard user.created msg_outside'),
    );
  });

  it('refuses unsigned and wrongly signed requests with a 401 problem', async () => {
    for (const path of ['/webhooks/stripe', '/webhooks/github', '/webhooks/standard']) {
      const response = await post(path, '{}', {
        'stripe-signature': 't=1,v1=00',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
