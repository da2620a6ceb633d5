// DNS rebinding: a page the developer visits points its own name at 127.0.0.1. The broker
// answers only requests addressed to this machine's loopback names, its listen address, or names
// it was told to allow; the page never shows destinations' query strings.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/broker.ts';

/** A request with any `Host` (fetch would not let us choose it). */
function withHost(url: string, host: string, path: string, token?: string) {
  const target = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        headers: { host, ...(token && { authorization: `Bearer ${token}` }) },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ allowedHosts: ['tunnel.example'] });
});
afterAll(() => harness?.close());

describe('Host', () => {
  it('answers 127.0.0.1, localhost, [::1] and *.localhost, with any port', async () => {
    const port = new URL(harness.server.url).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      'LOCALHOST',
      `app.localhost:${port}`,
    ]) {
      expect(
        (await withHost(harness.server.url, host, '/v2/keys', harness.server.token)).status,
        host,
      ).toBe(200);
    }
  });

  it('refuses any other name with 403, saying how to allow it, on the API and on the page', async () => {
    for (const path of ['/v2/keys', '/']) {
      const reply = await withHost(
        harness.server.url,
        'evil.example:8080',
        path,
        harness.server.token,
      );
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.body).detail).toContain('--allow-host evil.example');
      expect(reply.body).not.toContain('sig_');
    }
    const rebound = await withHost(
      harness.server.url,
      '127.0.0.1.evil.example',
      '/v2/keys',
      harness.server.token,
    );
    expect(rebound.status).toBe(403);
  });

  it('answers names given with allowedHosts (--allow-host)', async () => {
    expect(
      (await withHost(harness.server.url, 'tunnel.example', '/v2/keys', harness.server.token))
        .status,
    ).toBe(200);
  });
});

describe('the page', () => {
  it('shows destinations without their query strings or credentials', async () => {
    await harness.client.publish({
      url: `${harness.receiver.url('/secret')}?secret_api_key=s3cret&b=2`,
      body: 'x',
    });
    // What a reader sees: the page puts line-break opportunities (<wbr>) after slashes.
    const page = (await (await fetch(`${harness.server.url}/`)).text()).replaceAll('<wbr>', '');
    expect(page).toContain('/secret?…');
    expect(page).not.toContain('s3cret');
  });
});
