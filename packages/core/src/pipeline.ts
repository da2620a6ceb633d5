// What every verification shares once the scheme's own checks are done, QStash's (verify.ts)
// and a provider's (providers/verify.ts): the verifier's resolved state, the early refusal of a
// declared body over the limit, and admission (schema, message, replay mark).
import type { BodyBytes } from './body.ts';
import type { CryptoBackend } from './crypto/backend.ts';
import type { KeyPairs } from './crypto/key-pair.ts';
import { utf8Decoder } from './encoding.ts';
import { VerificationError } from './errors.ts';
import { type Maybe, then } from './maybe.ts';
import { createMessage, type MessageFields, type VerifiedMessage } from './message.ts';
import type { Settings } from './options.ts';
import { markFirstUse } from './replay/marks.ts';
import { validateBody } from './schema.ts';

/** One verifier's resolved state: its crypto, its settings, its imported keys. */
export interface Pipeline<Key, Data, Req> {
  readonly backend: CryptoBackend<Key>;
  readonly settings: Settings<Data, Req>;
  readonly pairs: KeyPairs<Key>;
  /** A provider's secrets, imported (empty for QStash). */
  readonly secrets: readonly Maybe<Key>[];
  /** The replay id of each message let through, so that `settle` can release it. */
  readonly marks: WeakMap<VerifiedMessage<Data>, string>;
  /** Error codes of 5xx refusals already logged (each is said once). */
  readonly reported: Set<string>;
}

export function refuseDeclaredLength(declared: string | null | undefined, limit: number): void {
  if (declared && Number(declared) > limit) {
    throw new VerificationError('BODY_TOO_LARGE', {
      debugDetail: `Content-Length ${declared} is over the ${limit}-byte limit.`,
    });
  }
}

/** The message's fields that come from the request, not from the body. */
export type RequestFields = Omit<MessageFields<unknown>, 'body' | 'text' | 'data'>;

/**
 * The steps after the signature held, the same for QStash and every provider: the schema, the
 * message, and last the replay mark (`replay` says under which id, for how long).
 */
export function admitMessage<Key, Data, Req>(
  pipeline: Pipeline<Key, Data, Req>,
  body: BodyBytes,
  fields: RequestFields,
  replay: () => { id: string; ttl: number },
): Maybe<VerifiedMessage<Data>> {
  const { schema, replay: store } = pipeline.settings;
  const text = schema ? (typeof body === 'string' ? body : utf8Decoder.decode(body)) : undefined;
  const data: Maybe<Data> = schema ? validateBody(schema, text as string) : (undefined as Data);
  return then(data, (validated) => {
    const message = createMessage<Data>({ ...fields, body, text, data: validated });
    if (!store) return message;
    const { id, ttl } = replay();
    return then(markFirstUse(store, id, ttl), () => {
      pipeline.marks.set(message, id);
      return message;
    });
  });
}
