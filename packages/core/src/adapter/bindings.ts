import type { Env } from '../keys.ts';
import type { VerifierOptions } from '../options.ts';
import type { StandardSchemaV1 } from '../schema.ts';
import type { Verifier } from '../verifier.ts';

type Create<Data, Req> = (
  options: VerifierOptions<StandardSchemaV1 | undefined, Req>,
) => Verifier<Data, Req>;

/** True on Cloudflare Workers (workerd), which sets this user agent for that very purpose. */
function onWorkers(): boolean {
  return (
    (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
    'Cloudflare-Workers'
  );
}

/**
 * The verifier for a request, where configuration may arrive with the request. On Cloudflare
 * Workers, `QSTASH_*` and `SIGNET_ORIGIN` are bindings handed to each request (Hono's `c.env`),
 * not `process.env`: unless the options name the keys or an `env`, a verifier is made from the
 * first request's bindings and kept for that bindings object. Everywhere else it is made now,
 * so a missing key fails at start, not at the first request.
 */
export function verifierPerBindings<Data, Req>(
  create: Create<Data, Req>,
  options: VerifierOptions<StandardSchemaV1 | undefined, Req>,
): (bindings: unknown) => Verifier<Data, Req> {
  const configured =
    options.env !== undefined ||
    options.currentSigningKey !== undefined ||
    options.nextSigningKey !== undefined;
  if (configured || !onWorkers()) {
    const verifier = create(options);
    return () => verifier;
  }
  const made = new WeakMap<object, Verifier<Data, Req>>();
  return (bindings) => {
    const env = (bindings && typeof bindings === 'object' ? bindings : {}) as Env & object;
    let verifier = made.get(env);
    if (!verifier) {
      verifier = create({ ...options, env });
      made.set(env, verifier);
    }
    return verifier;
  };
}
