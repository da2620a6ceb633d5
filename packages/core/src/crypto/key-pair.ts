import { VerificationError } from '../errors.ts';
import { type KeyRing, keysFor, type SigningKeys } from '../keys.ts';
import { type Maybe, then } from '../maybe.ts';
import type { TokenParts } from '../token.ts';
import type { CryptoBackend } from './backend.ts';

/** One imported key: usable now (`key`), or once `ready` resolves (Web Crypto imports async). */
interface KeyHandle<Key> {
  key: Key | undefined;
  ready: Promise<Key> | undefined;
}

/** The current and next key of one key set, imported once. */
export interface KeyPair<Key> {
  handles: [KeyHandle<Key>, KeyHandle<Key>];
  /** Index of the key that verified last: after a rotation every token verifies with `next`. */
  preferred: 0 | 1;
}

/** Every key set of a ring, each key imported once, at verifier creation, never per request. */
export type KeyPairs<Key> = Map<SigningKeys, KeyPair<Key>>;

function keyHandle<Key>(backend: CryptoBackend<Key>, secret: string): KeyHandle<Key> {
  const imported = backend.importKey(secret);
  // A thenable test, not `instanceof Promise`: crypto.subtle may come from another realm
  // (a sandbox, an iframe), whose promises are not instances of ours.
  if (typeof (imported as PromiseLike<Key> | null)?.then !== 'function') {
    return { key: imported as Key, ready: undefined };
  }
  const handle: KeyHandle<Key> = { key: undefined, ready: undefined };
  handle.ready = Promise.resolve(imported).then((key) => {
    handle.key = key;
    return key;
  });
  // Surfaced on first use instead; an unhandled rejection here would crash some runtimes.
  handle.ready.catch(() => {});
  return handle;
}

export function importKeyPairs<Key>(backend: CryptoBackend<Key>, ring: KeyRing): KeyPairs<Key> {
  const pairs: KeyPairs<Key> = new Map();
  for (const keys of [ring.fallback, ...ring.regions.values()]) {
    if (keys) {
      pairs.set(keys, {
        handles: [keyHandle(backend, keys.current), keyHandle(backend, keys.next)],
        preferred: 0,
      });
    }
  }
  return pairs;
}

/** The key pair for a request's `Upstash-Region` (region keys when configured, else the plain ones). */
export function keyPairFor<Key>(
  ring: KeyRing,
  pairs: KeyPairs<Key>,
  region: string | null | undefined,
): KeyPair<Key> {
  const keys = keysFor(ring, region);
  const pair = keys && pairs.get(keys);
  if (!pair) {
    throw new VerificationError('SIGNATURE_INVALID', {
      debugDetail: `No signing keys are configured for region ${JSON.stringify(region)}.`,
    });
  }
  return pair;
}

function macMatches<Key>(
  backend: CryptoBackend<Key>,
  handle: KeyHandle<Key>,
  token: TokenParts,
): Maybe<boolean> {
  const compare = (key: Key) =>
    then(backend.hmac(key, token.signingInput), (mac) => backend.equal(mac, token.signature));
  return handle.key === undefined
    ? (handle.ready as Promise<Key>).then(compare)
    : compare(handle.key);
}

/** True when either key of the pair made the token's MAC; tries the key that verified last first. */
export function signedByPair<Key>(
  backend: CryptoBackend<Key>,
  pair: KeyPair<Key>,
  token: TokenParts,
): Maybe<boolean> {
  const first = pair.preferred;
  return then(macMatches(backend, pair.handles[first], token), (matched) => {
    if (matched) return true;
    const second = first === 0 ? 1 : 0;
    return then(macMatches(backend, pair.handles[second], token), (other) => {
      if (other) pair.preferred = second;
      return other;
    });
  });
}
