import { fixtureProcess, makeToken } from '@signet/conformance';
import { eventually } from '@signet/test-kit';
import { describe, expect, it } from 'vitest';
import { startFixture } from './server.ts';

const running = fixtureProcess(startFixture);

async function post(path: string, body: string, token?: string) {
  const url = `${running.app.origin}${path}`;
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'upstash-signature': token ?? makeToken({ url, body }),
    },
  });
  return { status: response.status, text: await response.text() };
}

describe('@signet/next', () => {
  it('loads the Web build of @signet/core on the Edge runtime and the Node build on Node', async () => {
    expect(await (await fetch(`${running.app.origin}/edge/backend`)).json()).toEqual({
      backend: 'web',
    });
    expect(await (await fetch(`${running.app.origin}/node/backend`)).json()).toEqual({
      backend: 'node',
    });
  });

  it("answers 500 with the bodyParser fix when Next's body parser ran first (Pages Router)", async () => {
    const reply = await post('/api/pages/misc/parsed', '{"a":1}');
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.text)).toMatchObject({ code: 'BODY_ALREADY_PARSED', status: 500 });
    expect(JSON.parse(reply.text).detail).toContain(
      'export const config = { api: { bodyParser: false } }',
    );
    await eventually('the fix in the log', () =>
      running.app.output().includes('bodyParser: false'),
    );
  });

  it('settles the replay mark on the response a Pages handler sends after returning', async () => {
    const body = '{"late":true}';
    const failing = `${running.app.origin}/api/pages/misc/late?status=503`;
    const token = makeToken({ url: failing, body });
    expect((await post('/api/pages/misc/late?status=503', body, token)).status).toBe(503);
    expect((await post('/api/pages/misc/late?status=503', body, token)).status).toBe(503);
    const ok = `${running.app.origin}/api/pages/misc/late`;
    const once = makeToken({ url: ok, body });
    expect((await post('/api/pages/misc/late', body, once)).status).toBe(200);
    expect(JSON.parse((await post('/api/pages/misc/late', body, once)).text)).toMatchObject({
      code: 'REPLAYED',
    });
  });

  it('accepts the official helpers’ names and config shape (verifySignatureEdge, devMode)', async () => {
    expect(await post('/node/compat', '{"migrated":true}')).toEqual({
      status: 200,
      text: '{"migrated":true}',
    });
    expect(
      (
        await post(
          '/node/compat',
          '{}',
          makeToken({ url: `${running.app.origin}/elsewhere`, body: '{}' }),
        )
      ).status,
    ).toBe(401);
  });
});
