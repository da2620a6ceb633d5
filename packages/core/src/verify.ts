// The order of checks, top to bottom. Cheap refusals come first, the body is read only once the
// token is known to be well formed (and never past the limit), and the one side effect (the
// replay mark) comes last. Both builds report the same error for the same request.
import { type BodyBytes, readBody } from './body.ts';
import { type CheckedClaims, type ClaimCheck, checkClaims } from './claims.ts';
import type { CryptoBackend } from './crypto/backend.ts';
import { type KeyPair, keyPairFor, signedByPair } from './crypto/key-pair.ts';
import { VerificationError } from './errors.ts';
import type { IncomingRequest } from './incoming.ts';
import { isThenable, type Maybe, then } from './maybe.ts';
import type { VerifiedMessage } from './message.ts';
import { admitMessage, type Pipeline, refuseDeclaredLength } from './pipeline.ts';
import { verifyWithProvider } from './providers/verify.ts';
import { replayId } from './replay/marks.ts';
import { parseToken, type TokenParts, unpadded } from './token.ts';
import { expectedUrls, warnIfUnpinned } from './url.ts';

export const SIGNATURE_HEADER = 'upstash-signature';

/** The token's claims and the body, once the MAC, the claims and the body hash all held. */
interface Verified extends CheckedClaims {
  body: BodyBytes;
}

/**
 * Verifies one request. `direct` is `verify()`, whose caller passed the URL; `early` is a body
 * already in memory (within the limit), so nothing has to be read.
 *
 *  1. SIGNATURE_MISSING      no token
 *  2. BODY_TOO_LARGE         a declared Content-Length over the limit, before anything is read
 *  3. SIGNATURE_MALFORMED,   not a well-formed HS256 token (nothing is read for such a token)
 *     ALGORITHM_REJECTED
 *  4. BODY_TOO_LARGE,        the body, read up to the limit
 *     BODY_UNREADABLE
 *  5. SIGNATURE_INVALID      neither key made the MAC
 *  6. ISSUER_MISMATCH, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, URL_MISMATCH: the claims
 *  7. BODY_MISMATCH          the body hash
 *  8. BODY_INVALID           the schema
 *  9. REPLAYED               the token was used before (marking it is the only side effect)
 */
export function verifyIncoming<Key, Data, Req>(
  pipeline: Pipeline<Key, Data, Req>,
  incoming: IncomingRequest<Req>,
  direct: boolean,
  early?: BodyBytes,
): Maybe<VerifiedMessage<Data>> {
  const { settings, backend } = pipeline;
  if (settings.provider) {
    return verifyWithProvider(pipeline, settings.provider, pipeline.secrets, incoming, early);
  }
  const token = incoming.header(SIGNATURE_HEADER);
  if (!token) throw new VerificationError('SIGNATURE_MISSING');
  refuseDeclaredLength(incoming.header('content-length'), settings.limit);
  warnIfUnpinned(settings.url, settings.logger);
  const check: ClaimCheck = {
    now: Math.floor(settings.clock() / 1000),
    tolerance: settings.tolerance,
    expectedUrl: expectedUrls(settings.url, incoming, direct),
    claimUrl: incoming.claimUrl?.bind(incoming),
  };
  const parts = parseToken(token);
  const region = incoming.header('upstash-region');
  const pair = keyPairFor(settings.ring, pipeline.pairs, region);
  const read = early ?? then(incoming.body(), (source) => readBody(source, settings.limit));
  const verified = backend.synchronous
    ? checkInOnePass(backend, pair, parts, check, read)
    : checkOverlapped(backend, pair, parts, check, read);
  return then(verified, (result) => admit(pipeline, incoming, region, parts, check.now, result));
}

function invalidSignature(): VerificationError {
  return new VerificationError('SIGNATURE_INVALID', {
    debugDetail: 'Neither the current nor the next signing key produced this signature.',
  });
}

function matchBody(
  checked: CheckedClaims,
  body: BodyBytes,
  hash: string,
  backend: CryptoBackend<unknown>,
): Verified {
  if (!backend.equal(hash, unpadded(checked.claims.body))) {
    throw new VerificationError('BODY_MISMATCH', {
      debugDetail: `The token's body hash is ${checked.claims.body}, the body hashes to ${hash}.`,
    });
  }
  return { ...checked, body };
}

/**
 * Node (synchronous crypto): MAC, claims and body hash in one pass once the body is here.
 * Measured under load, ~10 % more requests/s than checking the MAC when the headers arrive and
 * hashing later: the crypto code is still in cache.
 */
function checkInOnePass<Key>(
  backend: CryptoBackend<Key>,
  pair: KeyPair<Key>,
  parts: TokenParts,
  check: ClaimCheck,
  read: Maybe<BodyBytes>,
): Maybe<Verified> {
  return then(read, (body) => {
    if (!(signedByPair(backend, pair, parts) as boolean)) throw invalidSignature();
    const checked = checkClaims(parts.payload, check, backend.decodeText);
    return matchBody(checked, body, backend.sha256(body) as string, backend);
  });
}

/**
 * The Web build: a large body's hash is a crypto.subtle round trip, so it is started as soon as
 * the body is in, and the MAC (JS, see crypto/sha256.ts) and the claims are computed while it
 * runs (or while a streamed body is still arriving). Nothing computed early is trusted, or even
 * reported, before the signature has verified; a read failure is reported first, as in the Node
 * build. Any step may be a promise (a custom backend's HMAC too), so each is joined with `then`.
 */
function checkOverlapped<Key>(
  backend: CryptoBackend<Key>,
  pair: KeyPair<Key>,
  parts: TokenParts,
  check: ClaimCheck,
  read: Maybe<BodyBytes>,
): Maybe<Verified> {
  // The hash first: a large body's goes to crypto.subtle's thread pool, and the MAC (JS) and
  // the claims are then computed while it runs.
  const hashed = then(read, (body) => then(backend.sha256(body), (hash) => ({ body, hash })));
  const signed = signedByPair(backend, pair, parts);
  const claims = attempt(() => checkClaims(parts.payload, check, backend.decodeText));
  // Once the read failed, the MAC's result no longer matters, but must not become an unhandled
  // rejection.
  if (isThenable(signed)) Promise.resolve(signed).catch(() => {});
  return then(hashed, ({ body, hash }) =>
    then(signed, (ok) => {
      if (!ok) throw invalidSignature();
      return matchBody(claims(), body, hash, backend);
    }),
  );
}

/** Runs `fn` now and returns a function that gives its result (or throws its error) later. */
function attempt<T>(fn: () => T): () => T {
  try {
    const value = fn();
    return () => value;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/** After the signature held: the schema, the message, and last the replay mark. */
function admit<Key, Data, Req>(
  pipeline: Pipeline<Key, Data, Req>,
  incoming: IncomingRequest<Req>,
  region: string | null | undefined,
  parts: TokenParts,
  now: number,
  { claims, url, body }: Verified,
): Maybe<VerifiedMessage<Data>> {
  return admitMessage(
    pipeline,
    body,
    {
      id: incoming.header('upstash-message-id'),
      retried: incoming.header('upstash-retried'),
      scheduleId: incoming.header('upstash-schedule-id'),
      region,
      url,
      claims,
    },
    () => ({
      id: replayId(claims, parts.signature),
      ttl: claims.exp + pipeline.settings.tolerance - now,
    }),
  );
}
