import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { builds } from './builds.ts';
import { BODY, b64url, bodyClaim, KEYS, makeToken, nowSeconds, OTHER_KEY, URL_ } from './tokens.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `threw ${String(error)}`;
  }
  return 'accepted';
}

describe.each(builds)('%s build', (_name, { createVerifier, VerificationError }) => {
  const verifier = createVerifier(KEYS);
  // `body` is taken from the argument list as given, so that an explicit `undefined` stays one.
  const verify = (signature: string | undefined, ...rest: [body?: unknown, url?: string]) =>
    verifier.verify({
      signature,
      body: (rest.length > 0 ? rest[0] : BODY) as string,
      url: rest[1] ?? URL_,
    });

  describe('accepts', () => {
    it('a token signed with the current key', async () => {
      const message = await verify(makeToken());
      expect(message.text()).toBe(BODY);
      expect(message.json()).toEqual(JSON.parse(BODY));
      expect(message.claims?.sub).toBe(URL_);
      expect(message.url).toBe(URL_);
    });

    it('a token signed with the next key (after a rotation)', async () => {
      const message = await verify(makeToken({ key: KEYS.nextSigningKey }));
      expect(message.text()).toBe(BODY);
    });

    it('tokens from both keys interleaved, whichever verified last', async () => {
      for (const key of [
        KEYS.nextSigningKey,
        KEYS.currentSigningKey,
        KEYS.nextSigningKey,
        KEYS.currentSigningKey,
      ]) {
        expect(await codeOf(verify(makeToken({ key })))).toBe('accepted');
      }
    });

    it('a body claim with or without = padding', async () => {
      expect(await codeOf(verify(makeToken({ claims: { body: bodyClaim(BODY, true) } })))).toBe(
        'accepted',
      );
      expect(await codeOf(verify(makeToken({ claims: { body: bodyClaim(BODY, false) } })))).toBe(
        'accepted',
      );
    });

    it('a token whose header has other fields or another order', async () => {
      const token = makeToken({ header: { typ: 'JWT', kid: 'k1', alg: 'HS256' } });
      expect(await codeOf(verify(token))).toBe('accepted');
    });

    it('a token without nbf, iat or jti (only iss, exp, sub and body are required)', async () => {
      expect(await codeOf(verify(makeToken({ omit: ['nbf', 'iat', 'jti'] })))).toBe('accepted');
    });

    it('the body as a string, Uint8Array, ArrayBuffer, Web stream, Node stream and async iterable', async () => {
      const bytes = new TextEncoder().encode(BODY);
      const sources: unknown[] = [
        BODY,
        bytes,
        bytes.buffer.slice(0),
        new Blob([bytes]).stream(),
        Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]),
        (async function* () {
          yield bytes.subarray(0, 5);
          yield bytes.subarray(5);
        })(),
      ];
      for (const source of sources) {
        const message = await verify(makeToken(), source);
        expect(message.text()).toBe(BODY);
        expect(message.body).toEqual(bytes);
      }
    });

    it('a unicode body, hashed as UTF-8', async () => {
      const body = '日本語 — emoji 🧪 — combining é — RTL עברית';
      const message = await verify(makeToken({ body }), body);
      expect(message.text()).toBe(body);
    });

    it('a binary body that is not valid UTF-8, hashed as raw bytes', async () => {
      const body = new Uint8Array([0, 255, 254, 0x80, 0xc3, 0x28, 10, 13]);
      const message = await verify(makeToken({ body }), body);
      expect(Array.from(message.body)).toEqual(Array.from(body));
    });

    it('an empty body (null, empty string, empty bytes)', async () => {
      const token = makeToken({ body: '' });
      for (const source of [null, undefined, '', new Uint8Array(0)]) {
        const message = await verify(token, source);
        expect(message.body.length).toBe(0);
        expect(message.text()).toBe('');
      }
    });

    it('a URL with a query string, compared in full', async () => {
      const url = 'https://app.example.com/hook?b=2&a=1&empty=&enc=%20x';
      expect(await codeOf(verify(makeToken({ url }), BODY, url))).toBe('accepted');
      expect(
        await codeOf(
          verify(makeToken({ url }), BODY, 'https://app.example.com/hook?a=1&b=2&empty=&enc=%20x'),
        ),
      ).toBe('URL_MISMATCH');
    });
  });

  it('compares URLs exactly, as the official Receiver does, but says when only the spelling differs', async () => {
    try {
      await verify(
        makeToken({ url: 'https://APP.example.com:443' }),
        BODY,
        'https://app.example.com/',
      );
      expect.unreachable();
    } catch (error) {
      const e = error as InstanceType<typeof VerificationError>;
      expect(e.code).toBe('URL_MISMATCH');
      expect(e.debugDetail).toMatch(/differ only in spelling/);
    }
    try {
      await verify(
        makeToken({ url: 'https://app.example.com/a' }),
        BODY,
        'https://app.example.com/b',
      );
      expect.unreachable();
    } catch (error) {
      expect((error as InstanceType<typeof VerificationError>).debugDetail).not.toMatch(/spelling/);
    }
  });

  describe('rejects with a stable code', () => {
    it('SIGNATURE_MISSING when there is no header', async () => {
      expect(await codeOf(verify(undefined))).toBe('SIGNATURE_MISSING');
      expect(await codeOf(verify(''))).toBe('SIGNATURE_MISSING');
    });

    it('SIGNATURE_MALFORMED for anything that is not a compact JWS', async () => {
      const good = makeToken();
      const [h, p, s] = good.split('.') as [string, string, string];
      for (const token of [
        'not-a-token',
        `${h}.${p}`,
        `${h}.${p}.${s}.extra`,
        `.${p}.${s}`,
        `${h}..${s}`,
        `${h}.${p}.`,
        `${h}!.${p}.${s}`,
        `${b64url('not json')}.${p}.${s}`,
        `${b64url('[1,2]')}.${p}.${s}`,
        `${b64url('{"typ":"JWT"}')}.${p}.${s}`,
        `${h}.${p}.${s.slice(0, 40)}+/=`,
      ]) {
        expect(await codeOf(verify(token)), token).toBe('SIGNATURE_MALFORMED');
      }
    });

    it('SIGNATURE_MALFORMED for a header over 8 KiB, before any work', async () => {
      const token = makeToken({ claims: { pad: 'x'.repeat(9000) } });
      expect(await codeOf(verify(token))).toBe('SIGNATURE_MALFORMED');
    });

    it('SIGNATURE_MALFORMED for a signed payload that is not a JSON object', async () => {
      const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      for (const payload of [b64url('not json'), b64url('[]'), b64url('null')]) {
        const { createHmac } = await import('node:crypto');
        const mac = createHmac('sha256', KEYS.currentSigningKey)
          .update(`${header}.${payload}`)
          .digest('base64url');
        expect(await codeOf(verify(`${header}.${payload}.${mac}`))).toBe('SIGNATURE_MALFORMED');
      }
    });

    it('SIGNATURE_MALFORMED for a signed token without exp or body claims', async () => {
      expect(await codeOf(verify(makeToken({ omit: ['exp'] })))).toBe('SIGNATURE_MALFORMED');
      expect(await codeOf(verify(makeToken({ claims: { exp: '9999999999' } })))).toBe(
        'SIGNATURE_MALFORMED',
      );
      expect(await codeOf(verify(makeToken({ omit: ['body'] })))).toBe('SIGNATURE_MALFORMED');
      expect(await codeOf(verify(makeToken({ claims: { iat: 'yesterday' } })))).toBe(
        'SIGNATURE_MALFORMED',
      );
    });

    it('SIGNATURE_MALFORMED for a critical header extension', async () => {
      const token = makeToken({ header: { alg: 'HS256', typ: 'JWT', crit: ['b64'], b64: false } });
      expect(await codeOf(verify(token))).toBe('SIGNATURE_MALFORMED');
    });

    it('ALGORITHM_REJECTED for none, RS256, HS384 and HS512, even when the HMAC is right', async () => {
      const claims = makeToken().split('.')[1];
      expect(await codeOf(verify(`${b64url('{"alg":"none","typ":"JWT"}')}.${claims}.`))).toBe(
        'ALGORITHM_REJECTED',
      );
      for (const alg of ['RS256', 'HS384', 'HS512', 'hs256', 'ES256']) {
        expect(await codeOf(verify(makeToken({ header: { alg, typ: 'JWT' } }))), alg).toBe(
          'ALGORITHM_REJECTED',
        );
      }
    });

    it('SIGNATURE_INVALID for a token signed with an unknown key', async () => {
      expect(await codeOf(verify(makeToken({ key: OTHER_KEY })))).toBe('SIGNATURE_INVALID');
    });

    it('SIGNATURE_INVALID for a changed signature or a payload changed after signing', async () => {
      const token = makeToken();
      const [h, p, s] = token.split('.') as [string, string, string];
      const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
      expect(await codeOf(verify(`${h}.${p}.${flipped}`))).toBe('SIGNATURE_INVALID');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = b64url(JSON.stringify({ ...claims, sub: 'https://evil.example/' }));
      expect(await codeOf(verify(`${h}.${forged}.${s}`))).toBe('SIGNATURE_INVALID');
      expect(await codeOf(verify(`${h}.${p}.${s.slice(0, 42)}`))).toBe('SIGNATURE_INVALID');
    });

    it('ISSUER_MISMATCH for another or a missing issuer', async () => {
      expect(await codeOf(verify(makeToken({ claims: { iss: 'Evil' } })))).toBe('ISSUER_MISMATCH');
      expect(await codeOf(verify(makeToken({ claims: { iss: 'upstash' } })))).toBe(
        'ISSUER_MISMATCH',
      );
      expect(await codeOf(verify(makeToken({ omit: ['iss'] })))).toBe('ISSUER_MISMATCH');
    });

    it('TOKEN_EXPIRED and TOKEN_NOT_YET_VALID outside the token lifetime', async () => {
      expect(await codeOf(verify(makeToken({ iat: nowSeconds() - 301 })))).toBe('TOKEN_EXPIRED');
      expect(await codeOf(verify(makeToken({ iat: nowSeconds() + 60 })))).toBe(
        'TOKEN_NOT_YET_VALID',
      );
    });

    it('URL_MISMATCH for a token issued for another URL, or for none', async () => {
      expect(
        await codeOf(verify(makeToken({ url: 'https://app.example.com/api/hooks/other' }))),
      ).toBe('URL_MISMATCH');
      expect(await codeOf(verify(makeToken({ url: `${URL_}/` })))).toBe('URL_MISMATCH');
      expect(await codeOf(verify(makeToken({ url: URL_.replace('https', 'http') })))).toBe(
        'URL_MISMATCH',
      );
      expect(await codeOf(verify(makeToken({ omit: ['sub'] })))).toBe('URL_MISMATCH');
    });

    it('BODY_MISMATCH for a body changed after signing', async () => {
      const token = makeToken();
      expect(await codeOf(verify(token, `${BODY} `))).toBe('BODY_MISMATCH');
      expect(await codeOf(verify(token, BODY.replace('4200', '1')))).toBe('BODY_MISMATCH');
      expect(await codeOf(verify(token, ''))).toBe('BODY_MISMATCH');
    });

    it('BODY_MISMATCH for a body claim in standard (not URL-safe) base64', async () => {
      // Find a body whose hash has a character that differs between the two alphabets.
      let body = 'x';
      while (!/[-_]/.test(bodyClaim(body))) body += 'x';
      const standard = bodyClaim(body).replaceAll('-', '+').replaceAll('_', '/');
      expect(await codeOf(verify(makeToken({ body, claims: { body: standard } }), body))).toBe(
        'BODY_MISMATCH',
      );
    });

    it('errors are VerificationError instances with status and a safe detail', async () => {
      try {
        await verify(makeToken({ url: 'https://secret-internal.example/x' }));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(VerificationError);
        const e = error as InstanceType<typeof VerificationError>;
        expect(e.code).toBe('URL_MISMATCH');
        expect(e.status).toBe(401);
        expect(e.detail).not.toContain('secret-internal');
        expect(e.debugDetail).toContain('secret-internal');
      }
    });
  });

  describe('clock tolerance', () => {
    const at = (seconds: number) => () => seconds * 1000;
    const iat = 1_800_000_000;

    it('rejects at exp exactly and accepts a second before, with no tolerance', async () => {
      const token = makeToken({ iat });
      const exp = iat + 300;
      const v = createVerifier({ ...KEYS, now: at(exp - 1) });
      expect(await codeOf(v.verify({ signature: token, body: BODY, url: URL_ }))).toBe('accepted');
      const late = createVerifier({ ...KEYS, now: at(exp) });
      expect(await codeOf(late.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'TOKEN_EXPIRED',
      );
    });

    it('extends exp by the tolerance, to the second', async () => {
      const token = makeToken({ iat });
      const exp = iat + 300;
      const inside = createVerifier({ ...KEYS, clockTolerance: 5, now: at(exp + 4) });
      expect(await codeOf(inside.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
      const outside = createVerifier({ ...KEYS, clockTolerance: 5, now: at(exp + 5) });
      expect(await codeOf(outside.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'TOKEN_EXPIRED',
      );
    });

    it('accepts at nbf exactly and rejects a second before, with no tolerance', async () => {
      const token = makeToken({ iat });
      const v = createVerifier({ ...KEYS, now: at(iat) });
      expect(await codeOf(v.verify({ signature: token, body: BODY, url: URL_ }))).toBe('accepted');
      const early = createVerifier({ ...KEYS, now: at(iat - 1) });
      expect(await codeOf(early.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'TOKEN_NOT_YET_VALID',
      );
    });

    it('moves nbf earlier by the tolerance, to the second', async () => {
      const token = makeToken({ iat });
      const inside = createVerifier({ ...KEYS, clockTolerance: 5, now: at(iat - 5) });
      expect(await codeOf(inside.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
      const outside = createVerifier({ ...KEYS, clockTolerance: 5, now: at(iat - 6) });
      expect(await codeOf(outside.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'TOKEN_NOT_YET_VALID',
      );
    });

    it('uses whole seconds, as the official Receiver does', async () => {
      const token = makeToken({ iat });
      const v = createVerifier({ ...KEYS, now: () => (iat + 300) * 1000 - 1 });
      expect(await codeOf(v.verify({ signature: token, body: BODY, url: URL_ }))).toBe('accepted');
    });
  });

  describe('verifyRequest', () => {
    const request = (
      token: string | undefined,
      init: RequestInit & { url?: string; headerName?: string } = {},
    ) => {
      const headers = new Headers(init.headers);
      if (token) headers.set(init.headerName ?? 'Upstash-Signature', token);
      return new Request(init.url ?? URL_, { method: 'POST', body: BODY, ...init, headers });
    };

    it('reads the header whatever its case', async () => {
      for (const headerName of [
        'upstash-signature',
        'UPSTASH-SIGNATURE',
        'Upstash-Signature',
        'uPsTaSh-SiGnAtUrE',
      ]) {
        expect(await codeOf(verifier.verifyRequest(request(makeToken(), { headerName })))).toBe(
          'accepted',
        );
      }
    });

    it('gives the message id, retry count, schedule id and region from the headers', async () => {
      const message = await verifier.verifyRequest(
        request(makeToken(), {
          headers: {
            'Upstash-Message-Id': 'msg_abc',
            'Upstash-Retried': '2',
            'Upstash-Schedule-Id': 'scd_1',
            'Upstash-Region': 'US-EAST-1',
          },
        }),
      );
      expect([message.id, message.retried, message.scheduleId, message.region]).toEqual([
        'msg_abc',
        2,
        'scd_1',
        'US-EAST-1',
      ]);
    });

    it('treats a missing or nonsense retry count as 0', async () => {
      for (const retried of [undefined, 'x', '-1', '1.5']) {
        const headers: Record<string, string> =
          retried === undefined ? {} : { 'upstash-retried': retried };
        const message = await verifier.verifyRequest(request(makeToken(), { headers }));
        expect(message.retried).toBe(0);
      }
    });

    it('accepts a GET with no body', async () => {
      const token = makeToken({ body: '' });
      const message = await verifier.verifyRequest(request(token, { method: 'GET', body: null }));
      expect(message.body.length).toBe(0);
    });

    it('checks the token against the URL the request arrived at', async () => {
      const token = makeToken({ url: 'https://app.example.com/api/a' });
      const elsewhere = request(token, { url: 'https://app.example.com/api/b' });
      expect(await codeOf(verifier.verifyRequest(elsewhere))).toBe('URL_MISMATCH');
    });

    it('ignores X-Forwarded-* without trustProxy', async () => {
      const publicUrl = 'https://public.example.com/api/hook';
      const token = makeToken({ url: publicUrl });
      const proxied = request(token, {
        url: 'http://10.0.0.5:3000/api/hook',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example.com' },
      });
      expect(await codeOf(verifier.verifyRequest(proxied))).toBe('URL_MISMATCH');
      // …and so a client cannot use them to aim a token for another host at this one.
      const direct = request(makeToken(), { headers: { 'x-forwarded-host': 'evil.example' } });
      expect(await codeOf(verifier.verifyRequest(direct))).toBe('accepted');
    });

    it('rebuilds the public URL from X-Forwarded-Proto/Host with trustProxy', async () => {
      const behindProxy = createVerifier({ ...KEYS, trustProxy: true });
      const publicUrl = 'https://public.example.com/api/hook?x=1';
      const token = makeToken({ url: publicUrl });
      const proxied = request(token, {
        url: 'http://10.0.0.5:3000/api/hook?x=1',
        headers: {
          'x-forwarded-proto': 'https, http',
          'x-forwarded-host': 'public.example.com, proxy.internal',
        },
      });
      expect(await codeOf(behindProxy.verifyRequest(proxied))).toBe('accepted');
      const forwarded = request(token, {
        url: 'http://10.0.0.5:3000/api/hook?x=1',
        headers: { forwarded: 'for=1.2.3.4;proto=https;host="public.example.com", for=10.0.0.1' },
      });
      expect(await codeOf(behindProxy.verifyRequest(forwarded))).toBe('accepted');
      // Without forwarding headers the request URL is used as is.
      expect(await codeOf(behindProxy.verifyRequest(request(makeToken())))).toBe('accepted');
    });

    it('checks against a fixed URL, a function, or not at all, as configured', async () => {
      const fixed = 'https://tunnel.example.dev/api/hook';
      const token = makeToken({ url: fixed });
      const atInternal = () => request(token, { url: 'http://localhost:3000/api/hook' });
      expect(
        await codeOf(createVerifier({ ...KEYS, url: fixed }).verifyRequest(atInternal())),
      ).toBe('accepted');
      const fromFunction = createVerifier({
        ...KEYS,
        url: (req: Request) => `https://tunnel.example.dev${new URL(req.url).pathname}`,
      });
      expect(await codeOf(fromFunction.verifyRequest(atInternal()))).toBe('accepted');
      const skip = createVerifier({ ...KEYS, url: 'skip' });
      const message = await skip.verifyRequest(atInternal());
      expect(message.url).toBeUndefined();
      expect(await codeOf(skip.verifyRequest(request(makeToken({ omit: ['sub'] }))))).toBe(
        'accepted',
      );
    });
  });

  describe('verify()', () => {
    it('needs a url unless the verifier skips or fixes it', async () => {
      await expect(verifier.verify({ signature: makeToken(), body: BODY })).rejects.toThrow(
        TypeError,
      );
      const fixed = createVerifier({ ...KEYS, url: URL_ });
      expect(await codeOf(fixed.verify({ signature: makeToken(), body: BODY }))).toBe('accepted');
    });

    it('reads message fields from a plain header record, whatever the case', async () => {
      const message = await verifier.verify({
        signature: makeToken(),
        body: BODY,
        url: URL_,
        headers: {
          'Upstash-Message-Id': 'msg_1',
          'upstash-retried': '3',
          'UPSTASH-SCHEDULE-ID': ['scd_9'],
        },
      });
      expect([message.id, message.retried, message.scheduleId]).toEqual(['msg_1', 3, 'scd_9']);
    });
  });
});

describe.each(builds)('%s build: trustProxy and ports', (_name, { createVerifier }) => {
  const behindProxy = createVerifier({ ...KEYS, trustProxy: true });
  const send = (token: string, headers: Record<string, string>) =>
    behindProxy.verifyRequest(
      new Request('http://127.0.0.1:3000/hook', {
        method: 'POST',
        body: BODY,
        headers: { 'upstash-signature': token, ...headers },
      }),
    );

  it('takes a non-default public port from X-Forwarded-Host', async () => {
    const token = makeToken({ url: 'https://public.example.com:8443/hook' });
    await expect(
      send(token, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example.com:8443' }),
    ).resolves.toBeDefined();
  });

  it('ignores X-Forwarded-Port, which servers fill with their own local port', async () => {
    const token = makeToken({ url: 'https://public.example.com/hook' });
    const headers = {
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'public.example.com',
      'x-forwarded-port': '3000',
    };
    await expect(send(token, headers)).resolves.toBeDefined();
  });
});
