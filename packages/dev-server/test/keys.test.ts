import { DEV_SIGNING_KEYS } from '@signet/core';
import { Receiver } from '@upstash/qstash';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerEnv, startDevServer } from '../src/index.ts';
import { type Harness, startHarness, tempDir } from './helpers/broker.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const keysOf = async (harness: Harness) =>
  (await (await harness.api('/v2/keys')).json()) as { current: string; next: string };

describe('signing keys', () => {
  it("defaults to the official SDK's development keys", async () => {
    h = await startHarness();
    expect(await keysOf(h)).toEqual(DEV_SIGNING_KEYS);
  });

  it('rotates: next becomes current, a fresh next is made, and receivers on either pair keep verifying', async () => {
    h = await startHarness();
    const before = await keysOf(h);
    const rotated = (await (await h.api('/v2/keys/rotate', { method: 'POST' })).json()) as {
      current: string;
      next: string;
    };
    expect(rotated.current).toBe(before.next);
    expect(rotated.next).toMatch(/^sig_[1-9A-HJ-NP-Za-km-z]{28}$/);
    expect(rotated.next).not.toBe(before.current);
    expect(await keysOf(h)).toEqual(rotated);

    await h.client.publish({ url: h.receiver.url('/after-rotation'), body: 'x' });
    const [delivery] = await h.receiver.waitFor(1, '/after-rotation');
    expect(delivery?.signet).toBe(true); // the receiver checks against the rotated pair
    // A receiver not yet updated (still on the old pair) accepts it too: the old next signed it.
    const stale = new Receiver({ currentSigningKey: before.current, nextSigningKey: before.next });
    expect(
      await stale.verify({
        signature: String(delivery?.headers['upstash-signature']),
        body: delivery?.text ?? '',
        url: delivery?.url,
      }),
    ).toBe(true);
    // One that only knows the old current key does not.
    const outdated = new Receiver({
      currentSigningKey: before.current,
      nextSigningKey: before.current,
    });
    await expect(
      outdated.verify({
        signature: String(delivery?.headers['upstash-signature']),
        body: delivery?.text ?? '',
      }),
    ).rejects.toThrow();
  });

  it('keeps rotated keys across a restart on the same data folder; --keys wins over stored ones', async () => {
    const dir = tempDir();
    try {
      const first = await startDevServer({ port: 0, dataDir: dir.path });
      const response = await fetch(`${first.url}/v2/keys/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.token}` },
      });
      const rotated = await response.json();
      await first.close();

      const second = await startDevServer({ port: 0, dataDir: dir.path });
      expect(second.keys).toEqual(rotated);
      await second.close();

      const configured = { current: 'sig_configuredCurrent', next: 'sig_configuredNext' };
      const third = await startDevServer({ port: 0, dataDir: dir.path, keys: configured });
      expect(third.keys).toEqual(configured);
      await third.close();
    } finally {
      dir.remove();
    }
  });

  it('uses a custom token when given one', async () => {
    h = await startHarness({ token: 'local-secret' });
    expect((await h.api('/v2/keys')).status).toBe(200);
    const devToken = await fetch(`${h.server.url}/v2/keys`, {
      headers: { authorization: `Bearer ${DEV_SIGNING_KEYS.current}` },
    });
    expect(devToken.status).toBe(401);
  });

  it('tells another process the environment for a running broker, rotated keys included', async () => {
    h = await startHarness();
    const rotated = (await (await h.api('/v2/keys/rotate', { method: 'POST' })).json()) as {
      current: string;
      next: string;
    };
    expect(await brokerEnv({ url: h.server.url, token: h.server.token })).toEqual({
      QSTASH_URL: h.server.url,
      QSTASH_TOKEN: h.server.token,
      QSTASH_CURRENT_SIGNING_KEY: rotated.current,
      QSTASH_NEXT_SIGNING_KEY: rotated.next,
    });
    await expect(brokerEnv({ url: h.server.url, token: 'wrong' })).rejects.toThrow(
      /refused the token/,
    );
    await expect(brokerEnv({ url: 'http://127.0.0.1:1', timeoutMs: 300 })).rejects.toThrow(
      /No QStash broker answered at http:\/\/127\.0\.0\.1:1/,
    );
  });
});
