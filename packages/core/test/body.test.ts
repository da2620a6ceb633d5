import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { builds } from './builds.ts';
import { KEYS, makeToken, URL_ } from './tokens.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `threw ${String(error)}`;
  }
}

describe.each(builds)('%s build: body size and streams', (_name, { createVerifier }) => {
  const limit = 1024;
  const verifier = createVerifier({ ...KEYS, maxBodyBytes: limit });
  const exactly = 'a'.repeat(limit);
  const over = 'a'.repeat(limit + 1);

  it('accepts a body of exactly maxBodyBytes', async () => {
    expect(
      await codeOf(
        verifier.verify({ signature: makeToken({ body: exactly }), body: exactly, url: URL_ }),
      ),
    ).toBe('accepted');
  });

  it('rejects a body one byte over, as a string or bytes, with 413', async () => {
    const token = makeToken({ body: over });
    expect(await codeOf(verifier.verify({ signature: token, body: over, url: URL_ }))).toBe(
      'BODY_TOO_LARGE',
    );
    const bytes = new TextEncoder().encode(over);
    expect(await codeOf(verifier.verify({ signature: token, body: bytes, url: URL_ }))).toBe(
      'BODY_TOO_LARGE',
    );
  });

  it('counts UTF-8 bytes, not characters', async () => {
    const body = 'é'.repeat(limit / 2 + 1); // 2 bytes each
    expect(await codeOf(verifier.verify({ signature: makeToken({ body }), body, url: URL_ }))).toBe(
      'BODY_TOO_LARGE',
    );
  });

  it('rejects on Content-Length alone, before reading anything', async () => {
    let pulled = 0;
    // highWaterMark 0: the stream pulls only when someone reads, so `pulled` counts our reads.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request(URL_, {
      method: 'POST',
      body: stream,
      headers: { 'upstash-signature': makeToken(), 'content-length': String(limit + 1) },
      duplex: 'half',
    } as RequestInit);
    expect(await codeOf(verifier.verifyRequest(request))).toBe('BODY_TOO_LARGE');
    expect(pulled).toBe(0);
  });

  it('stops reading a Web stream as soon as it passes the limit, without cancelling it', async () => {
    let pulled = 0;
    let cancelled = false;
    const chunk = new Uint8Array(256);
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          controller.enqueue(chunk);
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    expect(
      await codeOf(verifier.verify({ signature: makeToken(), body: endless, url: URL_ })),
    ).toBe('BODY_TOO_LARGE');
    expect(pulled).toBeLessThanOrEqual(limit / chunk.length + 2);
    const settled = pulled;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled).toBe(settled);
    // Servers turn a cancelled request body into a destroyed connection, and the 413 with it.
    expect(cancelled).toBe(false);
    expect(endless.locked).toBe(false);
  });

  it('stops reading a Node stream as soon as it passes the limit', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(256));
      },
    });
    expect(
      await codeOf(verifier.verify({ signature: makeToken(), body: endless, url: URL_ })),
    ).toBe('BODY_TOO_LARGE');
    // Node reads ahead into its own buffer (up to readableHighWaterMark), never further.
    const bound = (limit + endless.readableHighWaterMark) / 256 + 2;
    expect(produced).toBeLessThanOrEqual(bound);
    expect(endless.isPaused()).toBe(true);
    const settled = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBe(settled);
  });

  it('does not read the body of a request whose token is missing, malformed or not HS256', async () => {
    for (const signature of [
      undefined,
      'not-a-token',
      makeToken({ header: { alg: 'none' } }),
      makeToken({ header: { alg: 'HS512', typ: 'JWT' } }),
    ]) {
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulled++;
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      const code = await codeOf(verifier.verify({ signature, body: stream, url: URL_ }));
      expect(code).not.toBe('accepted');
      expect(pulled, String(code)).toBe(0);
    }
  });

  it('reads a well-formed but forged token’s body only up to the limit, then answers 401', async () => {
    const body = 'x'.repeat(100);
    const forged = makeToken({ key: 'sig_wrong', body });
    expect(
      await codeOf(
        verifier.verify({ signature: forged, body: new Blob([body]).stream(), url: URL_ }),
      ),
    ).toBe('SIGNATURE_INVALID');
  });

  it('reports a failed read before the signature, identically in both builds', async () => {
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(512));
      },
    });
    expect(
      await codeOf(
        verifier.verify({ signature: makeToken({ key: 'sig_wrong' }), body: endless, url: URL_ }),
      ),
    ).toBe('BODY_TOO_LARGE');
  });

  it('answers BODY_UNREADABLE (400) when the stream fails or was already consumed', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    expect(
      await codeOf(verifier.verify({ signature: makeToken(), body: failing, url: URL_ })),
    ).toBe('BODY_UNREADABLE');

    const consumed = Readable.from(['x']);
    for await (const _ of consumed) {
      // drain it
    }
    expect(
      await codeOf(verifier.verify({ signature: makeToken(), body: consumed, url: URL_ })),
    ).toBe('BODY_UNREADABLE');

    const nodeFailing = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    expect(
      await codeOf(verifier.verify({ signature: makeToken(), body: nodeFailing, url: URL_ })),
    ).toBe('BODY_UNREADABLE');
  });

  it('uses 1 MiB as the default limit', async () => {
    const defaults = createVerifier(KEYS);
    const big = 'b'.repeat(1_048_576);
    expect(
      await codeOf(defaults.verify({ signature: makeToken({ body: big }), body: big, url: URL_ })),
    ).toBe('accepted');
    const bigger = `${big}b`;
    expect(
      await codeOf(
        defaults.verify({ signature: makeToken({ body: bigger }), body: bigger, url: URL_ }),
      ),
    ).toBe('BODY_TOO_LARGE');
  });
});
