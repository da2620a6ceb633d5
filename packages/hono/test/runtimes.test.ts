// The Hono adapter on the runtimes it promises besides Node: Bun, Deno and workerd (with no Node
// compatibility), each installed from npm and serving the fixture over real HTTP. The whole
// conformance suite runs against each, and a route whose keys the runtime supplies (process.env,
// or a Worker's bindings in c.env) verifies a message published with the official Client.
import { fileURLToPath } from 'node:url';
import { RUNTIMES, runtimeVersion, type Served, serveOn } from '@signet/app-harness/runtimes';
import { KEYS, makeToken, type RecordedError, runConformance } from '@signet/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./runtime-entry.ts', import.meta.url));
const ENV = {
  QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
  QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
};

for (const runtime of RUNTIMES) {
  const state: { served?: Served } = {};
  const served = () => state.served as Served;

  runConformance({
    name: `hono on ${runtimeVersion(runtime)}`,
    start: async () => {
      state.served = await serveOn(runtime, { entry, env: ENV });
      return { origin: served().origin, close: () => served().stop() };
    },
    errors: async () =>
      (await (await fetch(`${served().origin}/__errors`)).json()) as RecordedError[],
    resetErrors: async () => {
      await (await fetch(`${served().origin}/__errors`, { method: 'DELETE' })).arrayBuffer();
    },
    // workerd's own server fails to parse `POST http://other.example/…` and answers 500 before
    // the Worker runs (on Cloudflare the edge answers such a request line, not workerd).
    ...(runtime === 'workerd' && { absoluteFormStatus: 500 }),
  });

  describe(`hono on ${runtime}: keys from the runtime`, () => {
    let own: Served;
    beforeAll(async () => {
      own = await serveOn(runtime, { entry, env: ENV });
    }, 120_000);
    afterAll(() => own?.stop());

    it(
      runtime === 'workerd'
        ? "reads the keys from the Worker's bindings (c.env)"
        : 'reads the keys from process.env',
      async () => {
        const url = `${own.origin}/env/echo`;
        const body = '{"from":"env"}';
        const ok = await fetch(url, {
          method: 'POST',
          body,
          headers: {
            'upstash-signature': makeToken({ url, body }),
            'content-type': 'application/json',
          },
        });
        expect(ok.status, `${await ok.clone().text()}\n${own.output()}`).toBe(200);
        expect(await ok.json()).toMatchObject({ text: body, url });
        const unsigned = await fetch(url, { method: 'POST', body });
        expect(unsigned.status).toBe(401);
      },
    );
  });
}
