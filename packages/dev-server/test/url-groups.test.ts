import type { QstashError } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/broker.ts';
import { startReceiver, type TestReceiver } from './helpers/receiver.ts';

let h: Harness;
let others: TestReceiver[];
beforeAll(async () => {
  h = await startHarness();
  others = [await startReceiver(() => h.server.keys), await startReceiver(() => h.server.keys)];
});
afterAll(async () => {
  await Promise.all(others.map((receiver) => receiver.close()));
  await h.close();
});

describe('URL groups', () => {
  it('adds, gets, lists, removes endpoints and deletes a group through the official Client', async () => {
    const groups = h.client.urlGroups;
    await groups.addEndpoints({
      name: 'billing',
      endpoints: [{ url: h.receiver.url('/a') }, { name: 'second', url: h.receiver.url('/b') }],
    });
    expect(await groups.get('billing')).toMatchObject({
      name: 'billing',
      endpoints: [{ url: h.receiver.url('/a') }, { name: 'second', url: h.receiver.url('/b') }],
    });
    expect((await groups.list()).map((group) => group.name)).toContain('billing');
    await groups.removeEndpoints({ name: 'billing', endpoints: [{ name: 'second' }] });
    expect((await groups.get('billing')).endpoints).toEqual([{ url: h.receiver.url('/a') }]);
    await groups.delete('billing');
    const error = (await groups.get('billing').catch((thrown: unknown) => thrown)) as QstashError;
    expect(error.status).toBe(404);
  });

  it('fans a publish out to three receivers, each signed for its own URL', async () => {
    const receivers = [h.receiver, ...others];
    await h.client.urlGroups.addEndpoints({
      name: 'order-placed',
      endpoints: receivers.map((receiver, index) => ({
        name: `service-${index}`,
        url: receiver.url('/order-placed'),
      })),
    });
    const receipts = (await h.client.publishJSON({
      urlGroup: 'order-placed',
      body: { order: 'o_9' },
    })) as unknown as {
      messageId: string;
      url: string;
    }[];
    expect(receipts.map((receipt) => receipt.url)).toEqual(
      receivers.map((receiver) => receiver.url('/order-placed')),
    );
    expect(new Set(receipts.map((receipt) => receipt.messageId)).size).toBe(3);

    for (const [index, receiver] of receivers.entries()) {
      const [delivery] = await receiver.waitFor(1, '/order-placed');
      expect(delivery?.official).toBe(true);
      expect(delivery?.signet).toBe(true);
      expect(delivery?.headers['upstash-topic-name']).toBe('order-placed');
      expect(delivery?.headers['upstash-message-id']).toBe(receipts[index]?.messageId);
      expect(JSON.parse(delivery?.text ?? '')).toEqual({ order: 'o_9' });
    }
    // A token for one endpoint does not verify at another: sub is the endpoint's own URL.
    const stolen = h.receiver.to('/order-placed')[0];
    const { createVerifier } = await import('@signet/core');
    const verifier = createVerifier({
      currentSigningKey: h.server.keys.current,
      nextSigningKey: h.server.keys.next,
    });
    await expect(
      verifier.verify({
        signature: String(stolen?.headers['upstash-signature']),
        body: stolen?.body,
        url: others[0]?.url('/order-placed'),
      }),
    ).rejects.toMatchObject({ code: 'URL_MISMATCH' });
  });

  it('refuses an endpoint that is not an http(s) URL, and publishing to an empty group', async () => {
    const bad = await h.api('/v2/topics/bad/endpoints', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoints: [{ url: 'javascript:alert(1)' }] }),
    });
    expect(bad.status).toBe(400);
    await h.client.urlGroups.addEndpoints({
      name: 'emptied',
      endpoints: [{ url: h.receiver.url('/gone') }],
    });
    await h.client.urlGroups.removeEndpoints({
      name: 'emptied',
      endpoints: [{ url: h.receiver.url('/gone') }],
    });
    const error = (await h.client
      .publish({ urlGroup: 'emptied', body: 'x' })
      .catch((thrown: unknown) => thrown)) as QstashError;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/no endpoints/);
  });
});
