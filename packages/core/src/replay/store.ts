/**
 * Remembers which tokens were used, so a captured request cannot be played again while its token
 * is still valid. Keys are derived from the signed token (its `jti`), never from unsigned headers.
 */
export interface ReplayStore {
  /**
   * Records `id` for `ttlSeconds`. Resolves true when it was not yet recorded (first use) and
   * false when it was (a replay). Must be atomic across every instance that shares the store.
   */
  mark(id: string, ttlSeconds: number): boolean | Promise<boolean>;
  /** Forgets `id`, so that a retry of a delivery the handler failed is accepted. */
  release(id: string): void | Promise<void>;
}
