import { VerificationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isThenable, type Maybe } from '../maybe.ts';
import type { QStashClaims } from '../message.ts';
import type { ReplayStore } from './store.ts';

/**
 * What identifies a delivery in the replay store: the token's `jti`, else its signature. Both are
 * covered by the MAC; unsigned headers (the message id) are not, and a forger could vary them.
 */
export function replayId(claims: QStashClaims, signature: string): string {
  return typeof claims.jti === 'string' && claims.jti ? `jti:${claims.jti}` : `sig:${signature}`;
}

function unavailable(cause: unknown): VerificationError {
  return new VerificationError('REPLAY_STORE_UNAVAILABLE', {
    cause,
    debugDetail: cause instanceof Error ? cause.message : String(cause),
  });
}

function firstUse(first: boolean): void {
  if (!first) throw new VerificationError('REPLAYED');
}

/**
 * Marks `id` as used until the token expires (`ttlSeconds`). Fails with REPLAYED when it was
 * already marked, and with REPLAY_STORE_UNAVAILABLE (503, so QStash retries) when the store
 * cannot answer: a replay check that cannot run must not let the request through.
 */
export function markFirstUse(store: ReplayStore, id: string, ttlSeconds: number): Maybe<void> {
  let marked: Maybe<boolean>;
  try {
    marked = store.mark(id, ttlSeconds);
  } catch (cause) {
    throw unavailable(cause);
  }
  if (!isThenable(marked)) return firstUse(marked);
  return Promise.resolve(marked).then(firstUse, (cause: unknown) => {
    throw unavailable(cause);
  });
}

/** Forgets a mark so that QStash's retry (same token) is accepted after the handler failed. */
export async function releaseMark(store: ReplayStore, id: string, logger: Logger): Promise<void> {
  try {
    await store.release(id);
  } catch (error) {
    // The token stays marked; QStash's retry will be refused until it expires. Loud, not fatal.
    logger.error('@signet/core: could not release a replay mark', error);
  }
}
