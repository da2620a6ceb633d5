// Small lifecycle helpers: one instance per process, and retrying while a service starts.

/**
 * One instance per process for `key`, created on first use. Next may load a module more than
 * once, so the instance lives on globalThis; a failed creation is forgotten, so the next call
 * tries again.
 */
export function perProcess<T>(key: string, create: () => Promise<T>): Promise<T> {
  const slots = globalThis as { [slot: symbol]: Promise<T> | undefined };
  const slot = Symbol.for(`usage-sync.${key}`);
  slots[slot] ??= create().catch((error: unknown) => {
    slots[slot] = undefined;
    throw error;
  });
  return slots[slot];
}

/** Calls `attempt` until it resolves, `attempts` times at most, `delayMs` apart. */
export async function retrying<T>(
  attempt: () => Promise<T>,
  options: { attempts: number; delayMs: number },
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= options.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    }
  }
}
