import type { AppProcess } from '@signet/app-harness/process';
import { fixtureProcess, makeToken, targetRequest } from '@signet/conformance';
import { KEYS, MARKER_HEADER } from '@signet/conformance/fixture';
import { describe, expect, it } from 'vitest';
import { signatureHandle } from '../src/index.ts';
import { startFixture } from './server.ts';

async function post(
  app: AppProcess,
  path: string,
  body: string,
  options: { contentType?: string; signed?: boolean; headers?: Record<string, string> } = {},
) {
  // adapter-node assumes a TLS proxy in front, so the app sees https URLs.
  const publicUrl = `${app.origin.replace('http:', 'https:')}${path}`;
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    ...options.headers,
  };
  if (options.signed !== false) headers['upstash-signature'] = makeToken({ url: publicUrl, body });
  const response = await fetch(`${app.origin}${path}`, { method: 'POST', body, headers });
  return { status: response.status, text: await response.text() };
}

describe('@signet/sveltekit signatureHandle paths', () => {
  const running = fixtureProcess(startFixture);

  it('matches a route id, whatever the params', async () => {
    expect(JSON.parse((await post(running.app, '/misc/by-id/42', '{}')).text)).toEqual({
      id: '42',
      verified: true,
    });
    expect((await post(running.app, '/misc/by-id/42', '{}', { signed: false })).status).toBe(401);
  });

  it('matches with a predicate', async () => {
    expect(JSON.parse((await post(running.app, '/misc/guarded', '{"a":1}')).text)).toEqual({
      verified: true,
      body: '{"a":1}',
    });
    expect((await post(running.app, '/misc/guarded', '{"a":1}', { signed: false })).status).toBe(
      401,
    );
  });

  it('lets unmatched requests through untouched, body unread, through every hook of the sequence', async () => {
    const reply = await post(running.app, '/misc/unguarded', '{"untouched":true}', {
      signed: false,
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ verified: false, body: '{"untouched":true}' });
  });
});

describe("SvelteKit's own CSRF check with its default config (pinned, see the README)", () => {
  const running = fixtureProcess(() => startFixture('build-default-csrf'));

  it('refuses a signed text/plain delivery with 403 before any hook runs: QStash sends no Origin', async () => {
    const reply = await post(running.app, '/hook/hooks/echo', 'plain text', {
      contentType: 'text/plain',
    });
    expect(reply.status).toBe(403);
    expect(reply.text).toMatch(/Cross-site POST form submissions are forbidden/);
    // A JSON request after it does reach the hook (and is refused, unsigned): once its report is
    // in, anything the first request caused would be too. There is none.
    await post(running.app, '/hook/hooks/echo', '{}', {
      signed: false,
      headers: { [MARKER_HEADER]: 'after-csrf' },
    });
    await running.collector.waitForMarker('after-csrf');
    expect((await running.collector.errors()).filter((error) => !error.marker)).toEqual([]);
  });

  it('lets a signed JSON delivery (publishJSON, schedules) through to the hook', async () => {
    expect((await post(running.app, '/hook/hooks/echo', '{"json":true}')).status).toBe(200);
  });
});

describe('signatureHandle options', () => {
  it('refuses paths that cannot match, at creation', () => {
    expect(() => signatureHandle({ ...KEYS, paths: [] })).toThrow(/paths` is empty/);
    expect(() => signatureHandle({ ...KEYS, paths: 'hooks' })).toThrow(/must start with "\/"/);
  });
});

// SvelteKit 2's getRequest (adapter-node's) hands a request without Content-Type to the app with
// no body (`get_raw_body` returns null); SvelteKit 3 keeps it. Signet never trusts what it did not
// read: on Kit 2 such a delivery is refused with a body mismatch, never passed unverified.
describe('a signed body sent without a Content-Type', () => {
  for (const [kit, dir, status] of [
    ['3', 'app', 200],
    ['2.0.0', 'app-kit2', 401],
  ] as const) {
    const running = fixtureProcess(() => startFixture('build', dir));

    it(`answers ${status} on SvelteKit ${kit}`, async () => {
      const path = '/hook/hooks/echo';
      const url = `${running.app.origin.replace('http:', 'https:')}${path}`;
      const reply = await targetRequest(running.app.origin, path, {
        body: '{"a":1}',
        headers: { 'upstash-signature': makeToken({ url, body: '{"a":1}' }) },
      });
      expect(reply.status, reply.body).toBe(status);
      if (status === 401) expect(reply.json?.code).toBe('BODY_MISMATCH');
      else expect(reply.json?.verified).toBe(true);
    });
  }
});
