// The conformance cases for webhook providers: every adapter, each provider's route (see
// fixture.ts), the same expectations as for QStash: the handler gets the exact bytes and the
// message, each refusal is a 401/422 problem+json with its code and one onError call, a signed
// request is accepted once.
import { signGitHubWebhook, signStandardWebhook, signStripeWebhook } from '@signet/core/testing';
import { describe, expect, it } from 'vitest';
import type { Reply } from './client.ts';
import {
  type Echo,
  PROVIDER_SECRETS,
  type ProtectedRoute,
  type ProviderRoute,
  type RecordedError,
  toBase64,
} from './fixture.ts';

export interface ProviderSuiteContext {
  send(options: {
    route: ProtectedRoute;
    body?: string | Uint8Array;
    contentType?: string;
    token?: null;
    headers?: Record<string, string>;
  }): Promise<Reply>;
  expectProblem(reply: Reply, status: number, code: string): void;
  recordedErrors(): Promise<Pick<RecordedError, 'route' | 'code'>[]>;
}

interface SignOptions {
  secret?: string;
  timestamp?: number;
}

const now = () => Math.floor(Date.now() / 1000);

const providers: Record<
  ProviderRoute,
  {
    header: string;
    timestamped: boolean;
    sign(body: string | Uint8Array, options?: SignOptions): Promise<Record<string, string>>;
    /** What `message.id` is for the request `sign` made. */
    idOf(headers: Record<string, string>, body: string): string | null;
  }
> = {
  standard: {
    header: 'webhook-signature',
    timestamped: true,
    sign: (body, o = {}) =>
      signStandardWebhook({
        secret: o.secret ?? PROVIDER_SECRETS.standard[0],
        body,
        timestamp: o.timestamp,
      }),
    idOf: (headers) => headers['webhook-id'] ?? null,
  },
  github: {
    header: 'x-hub-signature-256',
    timestamped: false,
    sign: (body, o = {}) =>
      signGitHubWebhook({ secret: o.secret ?? PROVIDER_SECRETS.github[0], body, event: 'push' }),
    idOf: (headers) => headers['x-github-delivery'] ?? null,
  },
  stripe: {
    header: 'stripe-signature',
    timestamped: true,
    sign: (body, o = {}) =>
      signStripeWebhook({
        secret: o.secret ?? PROVIDER_SECRETS.stripe[0],
        body,
        timestamp: o.timestamp,
      }),
    idOf: (_headers, body) => {
      try {
        return (JSON.parse(body) as { id?: string }).id ?? null;
      } catch {
        return null;
      }
    },
  },
};

export function describeProviders(ctx: ProviderSuiteContext): void {
  for (const [route, provider] of Object.entries(providers) as [
    ProviderRoute,
    (typeof providers)[ProviderRoute],
  ][]) {
    const schemaRoute = `${route}Schema` as ProtectedRoute;
    const signed = async (body: string | Uint8Array, options?: SignOptions) => ({
      route,
      body,
      token: null,
      headers: await provider.sign(body, options),
    });
    const echoOf = (reply: Reply) => reply.json as unknown as Echo;

    describe(`provider ${route}`, () => {
      it('accepts a signed JSON body, handing the handler the message and the parsed body', async () => {
        const body = JSON.stringify({ id: 'evt_conformance', type: 'order.paid', total: 12 });
        const request = await signed(body);
        const reply = await ctx.send({ ...request, contentType: 'application/json' });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply)).toMatchObject({
          route,
          verified: true,
          id: provider.idOf(request.headers, body),
          url: null,
          bodyBase64: toBase64(new TextEncoder().encode(body)),
          handlerBody: { kind: 'json', value: JSON.parse(body) },
        });
      });

      it('accepts a binary body byte for byte, and a body signed with the previous secret', async () => {
        const bytes = new Uint8Array([0, 255, 254, 0x80, 0xc3, 0x28, 10, 13]);
        const reply = await ctx.send({
          ...(await signed(bytes)),
          contentType: 'application/octet-stream',
        });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply).bodyBase64).toBe(toBase64(bytes));
        const previous = await signed('rotated', { secret: PROVIDER_SECRETS[route][1] });
        const rotated = await ctx.send({ ...previous, contentType: 'text/plain' });
        expect(rotated.status, rotated.text).toBe(200);
        expect(echoOf(rotated).handlerBody).toEqual({ kind: 'text', value: 'rotated' });
      });

      it('refuses each forgery with its code, calling onError once per refusal', async () => {
        const body = JSON.stringify({ id: 'evt_forged', type: 'order.paid' });
        const valid = await signed(body);
        const refusals: [string, Promise<Reply>][] = [
          ['SIGNATURE_MISSING', ctx.send({ route, body, token: null })],
          [
            'SIGNATURE_MALFORMED',
            ctx.send({ ...valid, headers: { ...valid.headers, [provider.header]: 'v9=nonsense' } }),
          ],
          ['SIGNATURE_INVALID', ctx.send({ ...valid, body: `${body} ` })],
          [
            'SIGNATURE_INVALID',
            ctx.send(await signed(body, { secret: 'whsec_c29tZWJvZHkgZWxzZQ==' })),
          ],
        ];
        if (provider.timestamped) {
          refusals.push([
            'TOKEN_EXPIRED',
            ctx.send(await signed(body, { timestamp: now() - 3600 })),
          ]);
          refusals.push([
            'TOKEN_NOT_YET_VALID',
            ctx.send(await signed(body, { timestamp: now() + 3600 })),
          ]);
        }
        const codes: string[] = [];
        for (const [code, pending] of refusals) {
          const reply = await pending;
          ctx.expectProblem(reply, 401, code);
          expect(reply.text).toContain(code === 'SIGNATURE_MISSING' ? provider.header : code);
          codes.push(code);
        }
        const recorded = await ctx.recordedErrors();
        expect(recorded.map((error) => error.code).sort()).toEqual(codes.sort());
        expect(new Set(recorded.map((error) => error.route))).toEqual(new Set([route]));
      });

      it('refuses a QStash token on the provider route, and the provider signature on a QStash route', async () => {
        const body = '{"cross":"scheme"}';
        ctx.expectProblem(
          await ctx.send({ route, body, contentType: 'application/json' }),
          401,
          'SIGNATURE_MISSING',
        );
        const request = await signed(body);
        ctx.expectProblem(
          await ctx.send({ ...request, route: 'echo', contentType: 'application/json' }),
          401,
          'SIGNATURE_MISSING',
        );
      });

      it('refuses the same signed request played a second time (REPLAYED)', async () => {
        const request = await signed(`{"replay":"${route}"}`);
        const first = await ctx.send({ ...request, contentType: 'application/json' });
        expect(first.status, first.text).toBe(200);
        const second = await ctx.send({ ...request, contentType: 'application/json' });
        ctx.expectProblem(second, 401, 'REPLAYED');
      });

      it('validates the body with the schema: data for the handler, 422 BODY_INVALID otherwise', async () => {
        const good = JSON.stringify({ orderId: 'ord_7', total: 7 });
        const reply = await ctx.send({
          ...(await signed(good)),
          route: schemaRoute,
          contentType: 'application/json',
        });
        expect(reply.status, reply.text).toBe(200);
        expect(echoOf(reply).data).toEqual({ orderId: 'ord_7', total: 7 });
        const bad = JSON.stringify({ orderId: 7 });
        const refused = await ctx.send({
          ...(await signed(bad)),
          route: schemaRoute,
          contentType: 'application/json',
        });
        ctx.expectProblem(refused, 422, 'BODY_INVALID');
      });
    });
  }
}
