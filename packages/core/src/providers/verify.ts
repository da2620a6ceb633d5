// The order of checks for a webhook provider, top to bottom, mirroring QStash's (verify.ts):
//
//  1. SIGNATURE_MISSING      no signature header
//  2. SIGNATURE_MALFORMED    headers that cannot be what the provider signs
//  3. BODY_TOO_LARGE         a declared Content-Length over the limit, before anything is read
//  4. BODY_TOO_LARGE,        the body, read up to the limit
//     BODY_UNREADABLE
//  5. SIGNATURE_INVALID      no secret made any of the signatures
//  6. TOKEN_EXPIRED,         the signed timestamp is further from now than the tolerance
//     TOKEN_NOT_YET_VALID
//  7. BODY_INVALID           the schema
//  8. REPLAYED               this signature was used before (marking it is the only side effect)
import { type BodyBytes, readBody } from '../body.ts';
import type { CryptoBackend } from '../crypto/backend.ts';
import { utf8Decoder } from '../encoding.ts';
import { VerificationError } from '../errors.ts';
import type { IncomingRequest } from '../incoming.ts';
import { isThenable, type Maybe, then } from '../maybe.ts';
import type { VerifiedMessage } from '../message.ts';
import { admitMessage, type Pipeline, refuseDeclaredLength } from '../pipeline.ts';
import type { Provider, SignedHeaders } from './provider.ts';

/** Each secret imported once, at verifier creation (a promise per secret on Web Crypto). */
export function importSecrets<Key>(backend: CryptoBackend<Key>, provider: Provider): Maybe<Key>[] {
  return provider.secrets.map((secret) => {
    const key = backend.importRawKey(secret);
    // Surfaced on first use instead; an unhandled rejection here would crash some runtimes.
    if (isThenable(key)) Promise.resolve(key).catch(() => {});
    return key;
  });
}

export function verifyWithProvider<Key, Data, Req>(
  pipeline: Pipeline<Key, Data, Req>,
  provider: Provider,
  keys: readonly Maybe<Key>[],
  incoming: IncomingRequest<Req>,
  early?: BodyBytes,
): Maybe<VerifiedMessage<Data>> {
  const { settings } = pipeline;
  const signed = provider.read((name) => incoming.header(name));
  if (!signed) {
    throw new VerificationError('SIGNATURE_MISSING', {
      detail: `The request has no ${provider.header} header.`,
    });
  }
  refuseDeclaredLength(incoming.header('content-length'), settings.limit);
  const read = early ?? then(incoming.body(), (source) => readBody(source, settings.limit));
  return then(read, (body) =>
    then(matchingSignature(pipeline.backend, provider, keys, signed, body), (matched) => {
      if (matched === undefined) {
        throw new VerificationError('SIGNATURE_INVALID', {
          detail: `The ${provider.header} header was not made with a known secret.`,
        });
      }
      const now = Math.floor(settings.clock() / 1000);
      checkTimestamp(provider, signed.timestamp, now, settings.tolerance);
      return admitProvided(pipeline, provider, signed, body, matched, now);
    }),
  );
}

/** The first of the request's signatures some secret made, or undefined. */
function matchingSignature<Key>(
  backend: CryptoBackend<Key>,
  provider: Provider,
  keys: readonly Maybe<Key>[],
  signed: SignedHeaders,
  body: BodyBytes,
): Maybe<string | undefined> {
  const macs = keys.map((key) =>
    then(key, (ready) => backend.mac(ready, signed.prefix, body, provider.encoding)),
  );
  const pick = (computed: readonly string[]) => {
    for (const mac of computed)
      for (const candidate of signed.signatures) if (backend.equal(mac, candidate)) return mac;
    return undefined;
  };
  return macs.some(isThenable) ? Promise.all(macs).then(pick) : pick(macs as string[]);
}

function checkTimestamp(
  provider: Provider,
  timestamp: number | undefined,
  now: number,
  leeway: number,
): void {
  if (timestamp === undefined || provider.tolerance === undefined) return;
  const window = provider.tolerance + leeway;
  if (now - timestamp > window) {
    throw new VerificationError('TOKEN_EXPIRED', {
      detail: `The signature's timestamp is more than ${provider.tolerance} s old.`,
      debugDetail: `Signed at ${timestamp}, now ${now}.`,
    });
  }
  if (timestamp - now > window) {
    throw new VerificationError('TOKEN_NOT_YET_VALID', {
      detail: `The signature's timestamp is more than ${provider.tolerance} s in the future.`,
      debugDetail: `Signed at ${timestamp}, now ${now}.`,
    });
  }
}

function admitProvided<Key, Data, Req>(
  pipeline: Pipeline<Key, Data, Req>,
  provider: Provider,
  signed: SignedHeaders,
  body: BodyBytes,
  matched: string,
  now: number,
): Maybe<VerifiedMessage<Data>> {
  const { describe } = provider;
  return admitMessage(
    pipeline,
    body,
    {
      provider: provider.name,
      id: signed.id,
      event: signed.event,
      facts:
        describe && (() => describe(typeof body === 'string' ? body : utf8Decoder.decode(body))),
      timestamp: signed.timestamp,
      retried: undefined,
      scheduleId: undefined,
      region: undefined,
      url: undefined,
      claims: undefined,
    },
    () => ({
      // The MAC that matched stands for everything signed (id, timestamp, body): the same
      // request played again has it, a retry by the sender (new timestamp) does not.
      id: `${provider.name}:${matched}`,
      ttl:
        signed.timestamp === undefined || provider.tolerance === undefined
          ? provider.replayWindow
          : Math.max(1, signed.timestamp + provider.tolerance + pipeline.settings.tolerance - now),
    }),
  );
}
