import { type Logger, warnOnce } from './logger.ts';

/** The two live keys: QStash signs with `current`; `next` takes over on the next rotation. */
export interface SigningKeys {
  current: string;
  next: string;
}

/** The official SDK's published development keys; `signet dev` signs with them by default. */
export const DEV_SIGNING_KEYS: Readonly<SigningKeys> = Object.freeze({
  current: 'sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r',
  next: 'sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
});

export const REGIONS = ['EU_CENTRAL_1', 'US_EAST_1'] as const;
export type Region = (typeof REGIONS)[number];

/** Keys to try for a request: plain keys, and per-region keys when `QSTASH_REGION` is set. */
export interface KeyRing {
  fallback: SigningKeys | undefined;
  regions: Map<string, SigningKeys>;
  source: 'options' | 'env' | 'dev';
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface KeyOptions {
  currentSigningKey?: string | undefined;
  nextSigningKey?: string | undefined;
  env?: Env | undefined;
  /** true: the SDK's development keys; false: ignore `QSTASH_DEV`; default: `QSTASH_DEV` decides. */
  devMode?: boolean | undefined;
}

/** `us-east-1`, `US-EAST-1` and `US_EAST_1` all name the same region, as in the official SDK. */
export function normalizeRegion(region: string): string {
  return region.trim().replaceAll('-', '_').toUpperCase();
}

export function processEnv(): Env {
  // Guarded: workers have no `process`; Next's Edge runtime and Deno provide one.
  const env = (globalThis as { process?: { env?: Env } }).process?.env;
  return env ?? {};
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function pair(
  current: string | undefined,
  next: string | undefined,
  where: string,
): SigningKeys | undefined {
  const c = clean(current);
  const n = clean(next);
  if (!c && !n) return undefined;
  if (!c || !n) {
    throw new TypeError(
      `@signet/core: ${where} has only the ${c ? 'current' : 'next'} signing key. Both are needed, so that a token signed with either survives a key rotation.`,
    );
  }
  return { current: c, next: n };
}

const MISSING_KEYS =
  '@signet/core: no signing keys. Pass currentSigningKey and nextSigningKey, or set QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY (both are on the QStash console, "Signing keys").';

/** Resolves keys once, at verifier creation: a missing key is a configuration error, not a 401. */
export function resolveKeyRing(options: KeyOptions, logger: Logger): KeyRing {
  const explicit = pair(options.currentSigningKey, options.nextSigningKey, 'the options object');
  if (explicit) return { fallback: explicit, regions: new Map(), source: 'options' };

  const env = options.env ?? processEnv();
  const fallback = pair(
    env.QSTASH_CURRENT_SIGNING_KEY,
    env.QSTASH_NEXT_SIGNING_KEY,
    'the environment',
  );
  const regions = new Map<string, SigningKeys>();
  const configured = clean(env.QSTASH_REGION);
  if (configured) {
    for (const region of REGIONS) {
      const keys = pair(
        env[`${region}_QSTASH_CURRENT_SIGNING_KEY`],
        env[`${region}_QSTASH_NEXT_SIGNING_KEY`],
        `the environment (${region})`,
      );
      if (keys) regions.set(region, keys);
    }
  }
  if (fallback || regions.size > 0) return { fallback, regions, source: 'env' };

  // The official SDK's development mode: same switch, same keys. Never in production, since the
  // development keys are public and anyone could sign with them.
  const dev = clean(env.QSTASH_DEV)?.toLowerCase();
  const devMode = options.devMode ?? (dev === '1' || dev === 'true');
  if (devMode && env.NODE_ENV !== 'production') {
    warnOnce(
      logger,
      'dev-keys',
      '@signet/core: development mode (QSTASH_DEV or devMode), verifying with the development signing keys.',
    );
    return { fallback: { ...DEV_SIGNING_KEYS }, regions: new Map(), source: 'dev' };
  }
  throw new TypeError(MISSING_KEYS);
}

/** The keys for one request; `Upstash-Region` picks region keys when there are any. */
export function keysFor(
  ring: KeyRing,
  regionHeader: string | null | undefined,
): SigningKeys | undefined {
  if (regionHeader && ring.regions.size > 0) {
    const keys = ring.regions.get(normalizeRegion(regionHeader));
    if (keys) return keys;
  }
  return ring.fallback;
}
