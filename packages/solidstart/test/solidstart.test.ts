// SolidStart specifics, against the fixture's production build: the official helper's call
// through the drop-in, and a typed message through getMessage.
import { fixtureProcess, makeToken } from '@signet/conformance';
import { expect, it } from 'vitest';
import { startSolidStartFixture } from './server.ts';

const running = fixtureProcess(() => startSolidStartFixture());

async function post(path: string, body: string, token?: string | null) {
  const url = `${running.app.origin}${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = token === undefined ? makeToken({ url, body }) : token;
  if (signature) headers['upstash-signature'] = signature;
  const response = await fetch(url, { method: 'POST', body, headers });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    json: await response.json(),
  };
}

it('takes verifySignatureSolidjs as the official SDK writes it, with Signet’s checks', async () => {
  const ok = await post('/official/echo', '{"a":1}');
  expect(ok.status).toBe(200);
  expect(ok.json).toEqual({ id: null });
  // Where the official helper answers 403 text, this is a 401 problem; and the URL is bound.
  const unsigned = await post('/official/echo', '{}', null);
  expect(unsigned.status).toBe(401);
  expect(unsigned.type).toMatch(/^application\/problem\+json/);
  const forOther = makeToken({ url: `${running.app.origin}/elsewhere`, body: '{}' });
  expect((await post('/official/echo', '{}', forOther)).status).toBe(401);
});

it('validates with a schema and types the message through getMessage', async () => {
  const ok = await post('/typed/order', '{"orderId":"o_1","total":3}');
  expect(ok.json).toEqual({ orderId: 'o_1' });
  const invalid = await post('/typed/order', '{"orderId":1}');
  expect(invalid.status).toBe(422);
  expect(invalid.json.code).toBe('BODY_INVALID');
});
