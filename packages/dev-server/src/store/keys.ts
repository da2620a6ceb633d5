import { createSigner, DEV_SIGNING_KEYS, type Signer, type SigningKeys } from '@signet/core';
import type { Db } from './db.ts';
import { newId } from './ids.ts';

/**
 * The two signing keys. Deliveries are signed with `current`; receivers accept `current` or
 * `next`, so rotating (next becomes current, a fresh next is made) never breaks a receiver that
 * has picked up the new pair. The pair lives in the database, so a restart keeps it.
 */
export class KeyStore {
  readonly #db: Db;
  #keys: SigningKeys;
  #signer: Signer;

  constructor(db: Db, configured?: SigningKeys) {
    this.#db = db;
    const stored = db.getMeta('signing_keys');
    // Keys given on the command line win over stored ones: they are what the user pasted into .env.
    this.#keys =
      configured ?? (stored ? (JSON.parse(stored) as SigningKeys) : { ...DEV_SIGNING_KEYS });
    this.#persist();
    this.#signer = createSigner({ key: this.#keys.current });
  }

  get keys(): SigningKeys {
    return { ...this.#keys };
  }

  get signer(): Signer {
    return this.#signer;
  }

  rotate(): SigningKeys {
    this.#keys = { current: this.#keys.next, next: newId.signingKey() };
    this.#persist();
    this.#signer = createSigner({ key: this.#keys.current });
    return this.keys;
  }

  #persist(): void {
    this.#db.setMeta('signing_keys', JSON.stringify(this.#keys));
  }
}
