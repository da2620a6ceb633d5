// The official @upstash/qstash Receiver is the reference implementation (DESIGN §2). Signet's
// tokens must satisfy it, Signet must accept tokens in the documented format from an independent
// signer, and the two must reject the same tampered requests.
import { Receiver } from '@upstash/qstash';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { builds } from './builds.ts';
import { bodyClaim, KEYS, makeToken, nowSeconds, URL_ } from './tokens.ts';

const receiver = new Receiver(KEYS);
const officialAccepts = async (signature: string, body: string, url?: string) => {
  try {
    return await receiver.verify({ signature, body, ...(url === undefined ? {} : { url }) });
  } catch {
    return false;
  }
};

describe.each(builds)(
  '%s build: compatibility with @upstash/qstash',
  (_name, { createSigner, createVerifier }) => {
    const verifier = createVerifier(KEYS);
    const signetAccepts = async (signature: string, body: string, url = URL_) => {
      try {
        await verifier.verify({ signature, body, url });
        return true;
      } catch {
        return false;
      }
    };
    const body = JSON.stringify({ event: 'order.placed', id: 'ord_7', note: 'naïve café ☕' });

    it("the official Receiver accepts createSigner's tokens, for both keys, with the URL checked", async () => {
      for (const key of [KEYS.currentSigningKey, KEYS.nextSigningKey]) {
        const token = await createSigner({ key }).sign({ url: URL_, body });
        expect(await officialAccepts(token, body, URL_)).toBe(true);
        expect(await signetAccepts(token, body)).toBe(true);
      }
    });

    it('createSigner writes the documented header and claims', async () => {
      const iat = nowSeconds();
      const token = await createSigner({ key: KEYS.currentSigningKey }).sign({
        url: URL_,
        body,
        now: iat * 1000,
      });
      const [header, payload] = token
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(payload).toMatchObject({
        iss: 'Upstash',
        sub: URL_,
        iat,
        nbf: iat,
        exp: iat + 300,
        body: bodyClaim(body, true),
      });
      expect(payload.jti).toMatch(/^jwt_[1-9A-HJ-NP-Za-km-z]{28}$/);
      expect(payload.body).toMatch(/=$/);
    });

    it('accepts tokens from an independent signer (jose SignJWT) in the documented format', async () => {
      for (const key of [KEYS.currentSigningKey, KEYS.nextSigningKey]) {
        const iat = nowSeconds();
        const token = await new SignJWT({
          iss: 'Upstash',
          sub: URL_,
          iat,
          nbf: iat,
          exp: iat + 300,
          jti: 'jwt_independent',
          body: bodyClaim(body),
        })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .sign(new TextEncoder().encode(key));
        expect(await signetAccepts(token, body)).toBe(true);
        expect(await officialAccepts(token, body, URL_)).toBe(true);
      }
    });

    it("writes byte for byte the token jose's SignJWT writes for the same claims", async () => {
      for (const input of [body, '', new Uint8Array([0, 255, 128, 10])]) {
        const iat = nowSeconds();
        const ours = await createSigner({ key: KEYS.currentSigningKey }).sign({
          url: URL_,
          body: input,
          now: iat * 1000,
          jti: 'jwt_fixed',
        });
        const digest = Buffer.from(await crypto.subtle.digest('SHA-256', Buffer.from(input)));
        const theirs = await new SignJWT({
          iss: 'Upstash',
          sub: URL_,
          iat,
          nbf: iat,
          exp: iat + 300,
          jti: 'jwt_fixed',
          body: `${digest.toString('base64url')}=`,
        })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .sign(new TextEncoder().encode(KEYS.currentSigningKey));
        expect(ours).toBe(theirs);
      }
    });

    it('rejects the same tampered requests as the official Receiver', async () => {
      const token = makeToken({ body });
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const reencoded = (changes: object) =>
        `${h}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${s}`;
      const cases: Array<[string, string, string, string]> = [
        ['body changed', token, `${body} `, URL_],
        ['body emptied', token, '', URL_],
        ['URL changed', token, body, 'https://app.example.com/api/hooks/other'],
        [
          'signature flipped',
          `${h}.${p}.${s.slice(0, 5)}${s[5] === 'x' ? 'y' : 'x'}${s.slice(6)}`,
          body,
          URL_,
        ],
        ['sub rewritten without the key', reencoded({ sub: 'https://evil.example/' }), body, URL_],
        ['exp extended without the key', reencoded({ exp: claims.exp + 3600 }), body, URL_],
        [
          'body claim replaced without the key',
          reencoded({ body: bodyClaim('other') }),
          'other',
          URL_,
        ],
        ['unknown key', makeToken({ key: 'sig_unknown', body }), body, URL_],
        ['expired', makeToken({ body, iat: nowSeconds() - 301 }), body, URL_],
        ['not yet valid', makeToken({ body, iat: nowSeconds() + 30 }), body, URL_],
        ['issuer changed (signed)', makeToken({ body, claims: { iss: 'Evil' } }), body, URL_],
        ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`, body, URL_],
      ];
      for (const [label, signature, sentBody, url] of cases) {
        expect(await officialAccepts(signature, sentBody, url), `official: ${label}`).toBe(false);
        expect(await signetAccepts(signature, sentBody, url), `signet: ${label}`).toBe(false);
      }
    });

    it('is stricter than the official Receiver exactly where DESIGN §2 says', async () => {
      const stricter: Array<[string, string]> = [
        ['HS512', makeToken({ body, header: { alg: 'HS512', typ: 'JWT' } })],
        ['no exp', makeToken({ body, omit: ['exp'] })],
      ];
      for (const [label, token] of stricter) {
        expect(await officialAccepts(token, body, URL_), `official: ${label}`).toBe(true);
        expect(await signetAccepts(token, body), `signet: ${label}`).toBe(false);
      }
    });

    it('closes the hole the official helpers leave: a token for one route is refused on another', async () => {
      const token = makeToken({ body, url: 'https://app.example.com/api/low-value' });
      // The official helpers never pass a URL, so this token works on every route of the app.
      expect(await officialAccepts(token, body)).toBe(true);
      expect(await signetAccepts(token, body, 'https://app.example.com/api/admin')).toBe(false);
    });
  },
);

describe('both builds and the official Receiver agree on a payload that starts with a byte-order mark', () => {
  it('accepts it in both builds, as the Receiver does (TextDecoder drops a leading BOM)', async () => {
    const iat = nowSeconds();
    const claims = JSON.stringify({
      iss: 'Upstash',
      sub: URL_,
      iat,
      nbf: iat,
      exp: iat + 300,
      body: bodyClaim('{}'),
    });
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(`\uFEFF${claims}`).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', KEYS.currentSigningKey)
      .update(`${header}.${payload}`)
      .digest('base64url');
    const token = `${header}.${payload}.${mac}`;
    expect(await officialAccepts(token, '{}', URL_)).toBe(true);
    for (const [name, build] of builds) {
      const message = await build
        .createVerifier(KEYS)
        .verify({ signature: token, body: '{}', url: URL_ });
      expect(message.claims?.iss, name).toBe('Upstash');
    }
  });
});
