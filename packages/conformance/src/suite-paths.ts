// The path-spelling corpus and the host cases of the conformance suite: a guard is only as good
// as its weakest spelling of a path, and a URL check only as good as where its host comes from.
import { pathVariants } from '@signet/test-kit';
import { describe, expect, it } from 'vitest';
import { makeToken, type Reply, targetRequest } from './client.ts';
import {
  type Echo,
  FALLBACK_ROUTE,
  fixtureOptions,
  PINNED_ORIGIN,
  type ROUTES,
} from './fixture.ts';

export interface SuiteContext {
  /** Where to connect, and the origin the app believes it has (tokens are signed for that one). */
  origins(): { connect: string; public: string };
  path(route: keyof typeof ROUTES): string;
  spelled(url: string): string;
  expectProblem(reply: Reply, status: number, code: string): void;
  /** See `Harness.absoluteFormStatus`. */
  absoluteFormStatus?: number | undefined;
}

/** Runs `tasks` a few at a time: hundreds of short requests, without one socket per request at once. */
async function inBatches<T>(items: readonly T[], size: number, task: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(task));
  }
}

function asReply(raw: Awaited<ReturnType<typeof targetRequest>>): Reply {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return { status: raw.status, headers, text: raw.body, json: raw.json };
}

const isGuardedEcho = (json: Record<string, unknown> | undefined) =>
  typeof json?.route === 'string' && json.route !== 'open' && json.route !== FALLBACK_ROUTE;

// A body is sent with its type, as QStash deliveries are: some adapters (SvelteKit 2's
// adapter-node) drop the body of a request that has none, which fails closed but would hide
// what this corpus is about, the path.
const JSON_BODY = { 'content-type': 'application/json' };

export function describePathSpellings(ctx: SuiteContext): void {
  describe('every spelling of a guarded path', () => {
    for (const route of ['echo', 'prefixed'] as const) {
      it(`never lets an unsigned request reach the ${route} handler`, async () => {
        const { connect } = ctx.origins();
        const variants = pathVariants(ctx.path(route));
        const reached: string[] = [];
        const failed: string[] = [];
        await inBatches(variants, 8, async (variant) => {
          const reply = await targetRequest(connect, variant.path, {
            body: '{}',
            headers: JSON_BODY,
          });
          if (reply.status >= 500) failed.push(`${variant.path} (${variant.why}): ${reply.status}`);
          if (reply.status >= 200 && reply.status < 300 && isGuardedEcho(reply.json)) {
            reached.push(`${variant.path} (${variant.why}): ${reply.body.slice(0, 80)}`);
          }
        });
        expect(variants.length).toBeGreaterThan(60);
        expect(reached, 'unsigned requests that reached a guarded handler').toEqual([]);
        expect(failed, 'server errors').toEqual([]);
      });

      it(`lets a signed request through a spelling of ${route} only into that route, verified`, async () => {
        const { connect, public: publicOrigin } = ctx.origins();
        const canonical = `${publicOrigin}${ctx.path(route)}`;
        const wrong: string[] = [];
        let accepted = 0;
        await inBatches(pathVariants(ctx.path(route)), 8, async (variant) => {
          // Signed for the URL as spelled, and for the canonical URL: either may pass, where the
          // token names the URL the framework saw; neither may pass into another route.
          for (const url of [`${publicOrigin}${variant.path}`, canonical]) {
            const reply = await targetRequest(connect, variant.path, {
              body: '{}',
              headers: { ...JSON_BODY, 'upstash-signature': makeToken({ url, body: '{}' }) },
            });
            if (reply.status < 200 || reply.status >= 300 || !isGuardedEcho(reply.json)) continue;
            const echo = reply.json as unknown as Echo;
            accepted++;
            // A dynamic route may see the spelling as a name of its own (`[route]` = `ECHO`);
            // what must never happen is another fixture route answering, or an unverified one.
            const otherRoute = echo.route !== route && Object.hasOwn(fixtureOptions, echo.route);
            if (!echo.verified || otherRoute || echo.url !== ctx.spelled(url)) {
              wrong.push(
                `${variant.path} (${variant.why}) signed for ${url}: ${reply.body.slice(0, 120)}`,
              );
            }
          }
        });
        expect(wrong).toEqual([]);
        // Some spellings do reach the handler (the router decodes them): the corpus exercises
        // routing, it is not refused wholesale before it gets there.
        expect(accepted).toBeGreaterThan(0);
      });
    }
  });
}

export function describeHostPinning(ctx: SuiteContext): void {
  describe('origin pins the host', () => {
    const foreignHost = 'other-app.example';

    it('accepts a token for the pinned origin, whatever the connection', async () => {
      const { connect } = ctx.origins();
      const url = `${PINNED_ORIGIN}${ctx.path('pinned')}`;
      const reply = await targetRequest(connect, ctx.path('pinned'), {
        body: 'x',
        headers: {
          'upstash-signature': makeToken({ url, body: 'x' }),
          'content-type': 'text/plain',
        },
      });
      expect(reply.status, reply.body).toBe(200);
      expect((reply.json as unknown as Echo).url).toBe(ctx.spelled(url));
    });

    it("refuses a token for another app's host, sent with that Host header", async () => {
      const { connect } = ctx.origins();
      for (const scheme of ['http', 'https']) {
        const url = `${scheme}://${foreignHost}${ctx.path('pinned')}`;
        const reply = await targetRequest(connect, ctx.path('pinned'), {
          body: 'x',
          headers: {
            host: foreignHost,
            'x-forwarded-host': foreignHost,
            'x-forwarded-proto': scheme,
            'upstash-signature': makeToken({ url, body: 'x' }),
            'content-type': 'text/plain',
          },
        });
        ctx.expectProblem(asReply(reply), 401, 'URL_MISMATCH');
      }
    });

    it("refuses a token for another app's host, sent as an absolute-form request target", async () => {
      const { connect } = ctx.origins();
      const url = `http://${foreignHost}${ctx.path('pinned')}`;
      const reply = await targetRequest(connect, url, {
        body: 'x',
        headers: {
          'upstash-signature': makeToken({ url, body: 'x' }),
          'content-type': 'text/plain',
        },
      });
      // Servers refuse the request line (400), route it nowhere (404) or redirect it (Next: 308);
      // none may accept it, or fail on it.
      const refused =
        (reply.status >= 300 && reply.status < 500) || reply.status === ctx.absoluteFormStatus;
      expect(refused, `${reply.status} ${reply.body}`).toBe(true);
      if (reply.status === 401) expect(reply.json?.code).toBe('URL_MISMATCH');
    });
  });
}
