// Standard Webhooks, GitHub and Stripe through the same verifier on both builds: what each
// accepts, what it refuses and with which code, rotation, replay, schema and limits.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signGitHubWebhook, signStandardWebhook, signStripeWebhook } from '../dist/testing.js';
import { type Build, builds } from './builds.ts';

const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SW_NEXT = `whsec_${btoa('the next standard webhooks secret')}`;
const GH_SECRET = 'It’s a Secret to Everybody';
const STRIPE_SECRET = 'whsec_test_secret_0123456789';
const BODY = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { amount: 1200 } });
const now = () => Math.floor(Date.now() / 1000);

type Signed = Record<string, string>;
interface Case {
  name: string;
  provider: (build: Build, secrets?: string[]) => ReturnType<Build['stripe']>;
  sign: (body: string, options?: { secret?: string; timestamp?: number }) => Promise<Signed>;
  header: string;
  timestamped: boolean;
}

const cases: Case[] = [
  {
    name: 'Standard Webhooks',
    provider: (build, secrets = [SW_SECRET]) => build.standardWebhooks({ secret: secrets }),
    sign: (body, o = {}) =>
      signStandardWebhook({
        secret: o.secret ?? SW_SECRET,
        body,
        timestamp: o.timestamp,
        id: 'msg_1',
      }),
    header: 'webhook-signature',
    timestamped: true,
  },
  {
    name: 'GitHub',
    provider: (build, secrets = [GH_SECRET]) => build.github({ secret: secrets }),
    sign: (body, o = {}) =>
      signGitHubWebhook({ secret: o.secret ?? GH_SECRET, body, event: 'push', delivery: 'd-1' }),
    header: 'x-hub-signature-256',
    timestamped: false,
  },
  {
    name: 'Stripe',
    provider: (build, secrets = [STRIPE_SECRET]) => build.stripe({ secret: secrets }),
    sign: (body, o = {}) =>
      signStripeWebhook({ secret: o.secret ?? STRIPE_SECRET, body, timestamp: o.timestamp }),
    header: 'stripe-signature',
    timestamped: true,
  },
];

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { code?: string; message: string }) => error.code ?? error.message,
  );

for (const [buildName, build] of builds) {
  for (const c of cases) {
    describe(`${c.name} (${buildName} build)`, () => {
      const verifier = (options: Record<string, unknown> = {}) =>
        build.createVerifier({ provider: c.provider(build), ...options });
      const verify = (v: ReturnType<typeof verifier>, body: string, headers: Signed) =>
        v.verify({ signature: undefined, body, headers });

      it('accepts the sender’s request and describes it', async () => {
        const message = await verify(verifier(), BODY, await c.sign(BODY));
        expect(message.text()).toBe(BODY);
        expect(message.claims).toBeUndefined();
        expect(message.url).toBeUndefined();
        if (c.name === 'GitHub') {
          expect(message).toMatchObject({ provider: 'github', id: 'd-1', event: 'push' });
          expect(message.timestamp).toBeUndefined();
        } else if (c.name === 'Stripe') {
          expect(message).toMatchObject({ provider: 'stripe', id: 'evt_1', event: 'invoice.paid' });
          expect(Math.abs((message.timestamp ?? 0) - now())).toBeLessThanOrEqual(1);
        } else {
          expect(message).toMatchObject({
            provider: 'standard-webhooks',
            id: 'msg_1',
            event: 'invoice.paid',
          });
        }
      });

      it('verifies a Web Request through verifyRequest, binary bodies byte for byte', async () => {
        const bytes = new Uint8Array([0, 255, 254, 10, 13, 128]);
        const body = new TextDecoder('latin1').decode(bytes);
        // Signers take the exact bytes; a string is UTF-8.
        const headers = await c.sign(body);
        const request = new Request('https://app.example/hook', {
          method: 'POST',
          headers,
          body: new TextEncoder().encode(body),
        });
        const message = await verifier().verifyRequest(request);
        expect(message.text()).toBe(body);
      });

      it('refuses with the code that says why', async () => {
        const v = verifier();
        const signed = await c.sign(BODY);
        expect(await codeOf(verify(v, BODY, {}))).toBe('SIGNATURE_MISSING');
        expect(await codeOf(verify(v, `${BODY} `, signed))).toBe('SIGNATURE_INVALID');
        expect(
          await codeOf(
            verify(
              v,
              BODY,
              await c.sign(BODY, { secret: c.name === 'Standard Webhooks' ? SW_NEXT : 'other' }),
            ),
          ),
        ).toBe('SIGNATURE_INVALID');
        expect(await codeOf(verify(v, BODY, { ...signed, [c.header]: 'nonsense' }))).toBe(
          'SIGNATURE_MALFORMED',
        );
        // A repeated signature header arrives joined with ", ". GitHub's and Stripe's are then
        // refused; Standard Webhooks' is a space-separated list, where one real entry is enough.
        const joined = { ...signed, [c.header]: `${signed[c.header]}, ${signed[c.header]}` };
        expect(await codeOf(verify(v, BODY, joined))).toMatch(
          c.name === 'Standard Webhooks' ? /accepted/ : /SIGNATURE_(MALFORMED|INVALID)/,
        );
        const forgedList = { ...signed, [c.header]: `v1,${btoa('x'.repeat(32))}, v1,AAAA` };
        expect(await codeOf(verify(v, BODY, forgedList))).toMatch(/SIGNATURE_(MALFORMED|INVALID)/);
        const missing = await codeOf(verify(v, BODY, {}));
        expect(missing).toBe('SIGNATURE_MISSING');
      });

      it('names its own header, not QStash’s, in the problem detail', async () => {
        const error = await verify(verifier(), BODY, {}).catch((e: Error) => e);
        expect((error as Error).message).toContain(c.header);
      });

      it('takes any secret of a rotation', async () => {
        const secrets =
          c.name === 'Standard Webhooks'
            ? [SW_NEXT, SW_SECRET]
            : ['new-secret', c.name === 'GitHub' ? GH_SECRET : STRIPE_SECRET];
        const v = build.createVerifier({ provider: c.provider(build, secrets) });
        expect(await codeOf(verify(v, BODY, await c.sign(BODY)))).toBe('accepted');
        expect(await codeOf(verify(v, BODY, await c.sign(BODY, { secret: secrets[0] })))).toBe(
          'accepted',
        );
      });

      if (c.timestamped) {
        it('refuses a timestamp more than 300 s away, either way, and honours clockTolerance', async () => {
          const v = verifier();
          expect(
            await codeOf(verify(v, BODY, await c.sign(BODY, { timestamp: now() - 301 }))),
          ).toBe('TOKEN_EXPIRED');
          expect(
            await codeOf(verify(v, BODY, await c.sign(BODY, { timestamp: now() + 301 }))),
          ).toBe('TOKEN_NOT_YET_VALID');
          expect(
            await codeOf(verify(v, BODY, await c.sign(BODY, { timestamp: now() - 290 }))),
          ).toBe('accepted');
          const lenient = verifier({ clockTolerance: 60 });
          expect(
            await codeOf(verify(lenient, BODY, await c.sign(BODY, { timestamp: now() - 330 }))),
          ).toBe('accepted');
          // The tampered request is refused for its signature, never reported as merely old.
          expect(
            await codeOf(verify(v, `${BODY}x`, await c.sign(BODY, { timestamp: now() - 999 }))),
          ).toBe('SIGNATURE_INVALID');
        });
      }

      it('refuses the same signed request played twice, with a replay store', async () => {
        const v = verifier({ replay: build.memoryReplayStore() });
        const signed = await c.sign(BODY);
        expect(await codeOf(verify(v, BODY, signed))).toBe('accepted');
        expect(await codeOf(verify(v, BODY, signed))).toBe('REPLAYED');
        if (c.timestamped) {
          // The sender's retry is signed anew (another timestamp): not a replay.
          expect(await codeOf(verify(v, BODY, await c.sign(BODY, { timestamp: now() - 5 })))).toBe(
            'accepted',
          );
        }
      });

      it('validates the body with a schema, and stops reading at the limit', async () => {
        const schema = z.object({ id: z.string(), type: z.literal('invoice.paid') });
        const v = verifier({ schema });
        const message = await verify(v, BODY, await c.sign(BODY));
        expect(message.data).toEqual({ id: 'evt_1', type: 'invoice.paid' });
        const other = JSON.stringify({ id: 'evt_2', type: 'charge.failed' });
        expect(await codeOf(verify(v, other, await c.sign(other)))).toBe('BODY_INVALID');
        const small = verifier({ maxBodyBytes: 10 });
        expect(await codeOf(verify(small, BODY, await c.sign(BODY)))).toBe('BODY_TOO_LARGE');
      });
    });
  }

  describe(`provider options (${buildName} build)`, () => {
    it('refuse a missing or empty secret, a bad Standard Webhooks secret, and QStash keys beside a provider', () => {
      expect(() => build.stripe({ secret: '' })).toThrow(/secret/);
      expect(() => build.github({ secret: [] })).toThrow(/secret/);
      expect(() => build.standardWebhooks({ secret: 'whsec_***' })).toThrow(/base64/);
      expect(() => build.stripe({ secret: 's', tolerance: -1 })).toThrow(/tolerance/);
      expect(() =>
        build.createVerifier({
          provider: build.github({ secret: 's' }),
          currentSigningKey: 'a',
          nextSigningKey: 'b',
        }),
      ).toThrow(/QStash's keys/);
      expect(() => build.createVerifier({ provider: { name: 'github' } as never })).toThrow(
        /provider must come from/,
      );
    });

    it('need no QStash keys in the environment', () => {
      expect(() =>
        build.createVerifier({ provider: build.github({ secret: 's' }), env: {} }),
      ).not.toThrow();
    });
  });
}
