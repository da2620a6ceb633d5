// The differential property: random tokens, bodies, URLs, keys and times, each verified by the
// official @upstash/qstash Receiver (given the same URL) and by both Signet builds.
//
// - A TAMPERED case changes bytes of the token, body or URL without the key. Signet must reject
//   every one of them.
// - A SHAPE case is a token legitimately signed with the key, with unusual claims or algorithm.
// - Everywhere: Signet never accepts what the official Receiver rejects, and the two disagree
//   only where Signet is deliberately stricter (see `allowedDisagreement`).
import { createHash, createHmac } from 'node:crypto';
import { Receiver } from '@upstash/qstash';
import fc from 'fast-check';
import type { Build } from '../builds.ts';

const KEY = /^sig_[1-9A-HJ-NP-Za-km-z]{28}$/;

export type Mutation =
  | { kind: 'none' }
  | { kind: 'flip'; segment: 0 | 1 | 2; index: number; char: string }
  | { kind: 'signature-suffix'; suffix: string }
  | { kind: 'body'; op: 'append' | 'truncate' | 'replace'; index: number; char: string }
  | { kind: 'url'; op: 'path' | 'host' | 'query' | 'scheme' | 'slash' }
  | { kind: 'alg-swap'; alg: string }
  | { kind: 'claim-edit'; claim: 'iss' | 'exp' | 'nbf' | 'sub' | 'body' | 'jti'; value: unknown };

export interface Shape {
  alg: 'HS256' | 'HS384' | 'HS512';
  iss: 'Upstash' | 'upstash' | 'missing' | 'Evil';
  exp: 'present' | 'missing';
  nbf: 'present' | 'missing';
  sub: 'url' | 'other' | 'missing';
  bodyClaim: 'padded' | 'unpadded' | 'standard-base64' | 'missing';
}

export interface Case {
  keys: { current: string; next: string };
  other: string;
  signer: 'current' | 'next' | 'other';
  body: string;
  url: string;
  otherUrl: string;
  /** Seconds from now to the token's iat, chosen clear of the exp/nbf boundaries. */
  offset: number;
  tolerance: number;
  shape: Shape;
  mutation: Mutation;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const STANDARD_SHAPE: Shape = {
  alg: 'HS256',
  iss: 'Upstash',
  exp: 'present',
  nbf: 'present',
  sub: 'url',
  bodyClaim: 'padded',
};

const variedShapeArb: fc.Arbitrary<Shape> = fc.record({
  alg: fc.constantFrom<Shape['alg']>('HS256', 'HS256', 'HS256', 'HS384', 'HS512'),
  iss: fc.constantFrom<Shape['iss']>(
    'Upstash',
    'Upstash',
    'Upstash',
    'Upstash',
    'upstash',
    'missing',
    'Evil',
  ),
  exp: fc.constantFrom<Shape['exp']>('present', 'present', 'present', 'missing'),
  nbf: fc.constantFrom<Shape['nbf']>('present', 'present', 'missing'),
  sub: fc.constantFrom<Shape['sub']>('url', 'url', 'url', 'url', 'other', 'missing'),
  bodyClaim: fc.constantFrom<Shape['bodyClaim']>(
    'padded',
    'padded',
    'unpadded',
    'standard-base64',
    'missing',
  ),
});

// Half the tokens are exactly what QStash sends, so that acceptance is explored as much as rejection.
const shapeArb: fc.Arbitrary<Shape> = fc.oneof(fc.constant(STANDARD_SHAPE), variedShapeArb);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      segment: fc.constantFrom(0 as const, 1 as const, 2 as const),
      index: fc.nat(),
      char: fc.oneof(
        fc.constantFrom(...B64URL.split('')),
        fc.constantFrom('+', '/', '=', '.', ' ', '!', 'é'),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('signature-suffix' as const),
      suffix: fc.constantFrom('=', '==', '!', ' ', 'A', '\n', '~'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('body' as const),
      op: fc.constantFrom('append' as const, 'truncate' as const, 'replace' as const),
      index: fc.nat(),
      char: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('url' as const),
      op: fc.constantFrom(
        'path' as const,
        'host' as const,
        'query' as const,
        'scheme' as const,
        'slash' as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('alg-swap' as const),
      alg: fc.constantFrom('none', 'HS384', 'HS512', 'RS256', 'ES256', 'hs256', 'HS256 '),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.record({
        kind: fc.constant('claim-edit' as const),
        claim: fc.constant('iss' as const),
        value: fc.constantFrom('Evil', 'upstash', undefined),
      }),
      fc.record({
        kind: fc.constant('claim-edit' as const),
        claim: fc.constant('exp' as const),
        value: fc.constantFrom(9_999_999_999, undefined, '9999999999'),
      }),
      fc.record({
        kind: fc.constant('claim-edit' as const),
        claim: fc.constant('nbf' as const),
        value: fc.constantFrom(0, undefined),
      }),
      fc.record({
        kind: fc.constant('claim-edit' as const),
        claim: fc.constant('sub' as const),
        value: fc.constantFrom('https://evil.example/', undefined),
      }),
      fc.record({
        kind: fc.constant('claim-edit' as const),
        claim: fc.constant('body' as const),
        value: fc.constantFrom('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=', undefined),
      }),
      fc.record({
        kind: fc.constant('claim-edit' as const),
        claim: fc.constant('jti' as const),
        value: fc.constantFrom('jwt_other'),
      }),
    ),
  },
);

const urlArb = fc
  .webUrl({ withQueryParameters: true, validSchemes: ['https', 'http'] })
  .map((url) => new URL(url).href)
  .filter((url) => url.length < 400);

const offsetArb = (tolerance: number) =>
  fc.oneof(
    // Inside the lifetime: nbf ≤ now - 5 and exp ≥ now + 5.
    { weight: 8, arbitrary: fc.integer({ min: -295, max: -5 }) },
    // Expired by more than the tolerance plus a margin.
    { weight: 1, arbitrary: fc.integer({ min: -3600, max: -305 - tolerance }) },
    // Not valid for a while yet.
    { weight: 1, arbitrary: fc.integer({ min: tolerance + 5, max: 3600 }) },
  );

export const caseArb: fc.Arbitrary<Case> = fc
  .record({
    keys: fc
      .tuple(fc.stringMatching(KEY), fc.stringMatching(KEY), fc.stringMatching(KEY))
      .filter(([a, b, c]) => a !== b && b !== c && a !== c),
    signer: fc.constantFrom(
      'current' as const,
      'current' as const,
      'next' as const,
      'other' as const,
    ),
    body: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.json({ maxDepth: 3 }),
      fc.constant(''),
    ),
    urls: fc.tuple(urlArb, urlArb).filter(([a, b]) => a !== b),
    tolerance: fc.constantFrom(0, 0, 5, 30),
    shape: shapeArb,
    mutation: mutationArb,
  })
  .chain((base) =>
    offsetArb(base.tolerance).map(
      (offset): Case => ({
        keys: { current: base.keys[0], next: base.keys[1] },
        other: base.keys[2],
        signer: base.signer,
        body: base.body,
        url: base.urls[0],
        otherUrl: base.urls[1],
        offset,
        tolerance: base.tolerance,
        shape: base.shape,
        mutation: base.mutation,
      }),
    ),
  );

function b64(input: string): string {
  return Buffer.from(input).toString('base64url');
}

function claimsFor(c: Case, iat: number): Record<string, unknown> {
  const hash = createHash('sha256').update(c.body).digest('base64url');
  const claims: Record<string, unknown> = { jti: 'jwt_fuzz', iat };
  if (c.shape.iss !== 'missing') claims.iss = c.shape.iss;
  if (c.shape.sub === 'url') claims.sub = c.url;
  if (c.shape.sub === 'other') claims.sub = c.otherUrl;
  if (c.shape.exp === 'present') claims.exp = iat + 300;
  if (c.shape.nbf === 'present') claims.nbf = iat;
  if (c.shape.bodyClaim === 'padded') claims.body = `${hash}=`;
  if (c.shape.bodyClaim === 'unpadded') claims.body = hash;
  if (c.shape.bodyClaim === 'standard-base64')
    claims.body = `${hash.replaceAll('-', '+').replaceAll('_', '/')}=`;
  return claims;
}

function hmac(alg: string, key: string, input: string): string {
  const hash = alg === 'HS384' ? 'sha384' : alg === 'HS512' ? 'sha512' : 'sha256';
  return createHmac(hash, key).update(input).digest('base64url');
}

export interface Built {
  token: string;
  body: string;
  url: string;
  /** The mutation changed what was signed (the token, body or URL) without the key. */
  tampered: boolean;
  /** A flip or suffix that decodes to the same signature bytes under lenient base64. */
  nonCanonicalSignature: boolean;
}

function mutateUrl(url: string, op: Extract<Mutation, { kind: 'url' }>['op']): string {
  const u = new URL(url);
  if (op === 'path') u.pathname = `${u.pathname.replace(/\/$/, '')}/x`;
  if (op === 'host') u.hostname = `evil-${u.hostname}`;
  if (op === 'query') u.searchParams.append('signet', 'fuzz');
  if (op === 'scheme') u.protocol = u.protocol === 'https:' ? 'http:' : 'https:';
  if (op === 'slash')
    return u.pathname.endsWith('/')
      ? u.href.replace(/\/(\?|$)/, '$1')
      : u.href.replace(/(\?|$)/, '/$1');
  return u.href;
}

export function build(c: Case, nowSeconds: number): Built {
  const iat = nowSeconds + c.offset;
  const key = c.signer === 'other' ? c.other : c.keys[c.signer];
  const header = b64(JSON.stringify({ alg: c.shape.alg, typ: 'JWT' }));
  const payload = b64(JSON.stringify(claimsFor(c, iat)));
  const signature = hmac(c.shape.alg, key, `${header}.${payload}`);
  const token = `${header}.${payload}.${signature}`;
  const m = c.mutation;
  const result: Built = {
    token,
    body: c.body,
    url: c.url,
    tampered: false,
    nonCanonicalSignature: false,
  };

  if (m.kind === 'flip') {
    const parts = [header, payload, signature];
    const segment = parts[m.segment] as string;
    const index = m.index % segment.length;
    if (segment[index] === m.char) return result;
    parts[m.segment] = segment.slice(0, index) + m.char + segment.slice(index + 1);
    result.token = parts.join('.');
    result.tampered = true;
    if (m.segment === 2) {
      result.nonCanonicalSignature = Buffer.from(parts[2] as string, 'base64url').equals(
        Buffer.from(signature, 'base64url'),
      );
    }
  } else if (m.kind === 'signature-suffix') {
    result.token = token + m.suffix;
    result.tampered = true;
    result.nonCanonicalSignature = Buffer.from(signature + m.suffix, 'base64url').equals(
      Buffer.from(signature, 'base64url'),
    );
  } else if (m.kind === 'body') {
    const chars = Array.from(c.body);
    const index = chars.length === 0 ? 0 : m.index % chars.length;
    if (m.op === 'append') chars.push(m.char);
    if (m.op === 'truncate') chars.splice(index, 1);
    if (m.op === 'replace') chars.splice(index, 1, m.char);
    const body = chars.join('');
    // Only a change of the bytes that are hashed counts (lone surrogates all encode as U+FFFD).
    result.tampered = !Buffer.from(body).equals(Buffer.from(c.body));
    result.body = body;
  } else if (m.kind === 'url') {
    const url = mutateUrl(c.url, m.op);
    result.tampered = url !== c.url;
    result.url = url;
  } else if (m.kind === 'alg-swap') {
    const swapped = b64(JSON.stringify({ alg: m.alg, typ: 'JWT' }));
    result.token = `${swapped}.${payload}.${signature}`;
    result.tampered = swapped !== header;
  } else if (m.kind === 'claim-edit') {
    const claims = claimsFor(c, iat);
    if (m.value === undefined) delete claims[m.claim];
    else claims[m.claim] = m.value;
    const edited = b64(JSON.stringify(claims));
    result.tampered = edited !== payload;
    result.token = `${header}.${edited}.${signature}`;
  }
  return result;
}

/** Where Signet may reject a case the official Receiver accepts (DESIGN §2, README). */
export function allowedDisagreement(c: Case, built: Built): string | undefined {
  if (built.nonCanonicalSignature) return 'non-canonical base64url signature';
  if (!built.tampered || c.mutation.kind === 'none') {
    if (c.shape.alg !== 'HS256') return `algorithm ${c.shape.alg}`;
    if (c.shape.exp === 'missing') return 'no exp claim';
  }
  return undefined;
}

export interface Outcome {
  official: boolean;
  signet: Record<string, string>;
  tampered: boolean;
  disagreement: string | undefined;
}

export function makeChecker(builds: ReadonlyArray<readonly [string, Build]>) {
  const receivers = new Map<string, Receiver>();
  const verifiers = new Map<string, Map<string, ReturnType<Build['createVerifier']>>>();

  const receiverFor = (c: Case) => {
    const id = `${c.keys.current}/${c.keys.next}`;
    let receiver = receivers.get(id);
    if (!receiver) {
      receiver = new Receiver({ currentSigningKey: c.keys.current, nextSigningKey: c.keys.next });
      receivers.set(id, receiver);
    }
    return receiver;
  };
  const verifierFor = (name: string, b: Build, c: Case) => {
    const id = `${c.keys.current}/${c.keys.next}/${c.tolerance}`;
    let byKey = verifiers.get(name);
    if (!byKey) {
      byKey = new Map();
      verifiers.set(name, byKey);
    }
    let verifier = byKey.get(id);
    if (!verifier) {
      verifier = b.createVerifier({
        currentSigningKey: c.keys.current,
        nextSigningKey: c.keys.next,
        clockTolerance: c.tolerance,
        env: {},
      });
      if (byKey.size > 64) byKey.clear();
      byKey.set(id, verifier);
    }
    return verifier;
  };

  /** Runs one case; throws (failing the property) when an invariant breaks. */
  return async function check(c: Case): Promise<Outcome> {
    const built = build(c, Math.floor(Date.now() / 1000));
    let official: boolean;
    try {
      official = await receiverFor(c).verify({
        signature: built.token,
        body: built.body,
        url: built.url,
        clockTolerance: c.tolerance,
      });
    } catch {
      official = false;
    }
    const signet: Record<string, string> = {};
    for (const [name, b] of builds) {
      try {
        await verifierFor(name, b, c).verify({
          signature: built.token,
          body: built.body,
          url: built.url,
        });
        signet[name] = 'accepted';
      } catch (error) {
        if (!b.isVerificationError(error))
          throw new Error(`${name} build threw a non-verification error: ${String(error)}`);
        signet[name] = error.code;
      }
    }
    const codes = new Set(Object.values(signet));
    if (codes.size !== 1) throw new Error(`the builds disagree: ${JSON.stringify(signet)}`);
    const accepted = signet[builds[0]?.[0] as string] === 'accepted';
    if (built.tampered && accepted) throw new Error('Signet accepted a tampered request');
    if (accepted && !official)
      throw new Error('Signet accepted what the official Receiver rejects');
    const disagreement = official && !accepted ? allowedDisagreement(c, built) : undefined;
    if (official && !accepted && disagreement === undefined) {
      throw new Error(
        `Signet rejected (${[...codes][0]}) what the official Receiver accepts, outside the documented stricter cases`,
      );
    }
    return { official, signet, tampered: built.tampered, disagreement };
  };
}
