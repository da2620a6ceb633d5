import { createVerifier, type InferData, type StandardSchemaV1, type Verifier } from '@signet/core';
import type { SignatureOptions } from './options.ts';

/**
 * `next build` imports every route module to collect its config ("Collecting page data"),
 * usually without the runtime secrets. During that phase the verifier is made on the first
 * request (which never comes at build time) instead of at import; everywhere else a missing key
 * still fails at import, as in every other adapter.
 */
export function routeVerifier<Schema extends StandardSchemaV1 | undefined, Req>(
  options: SignatureOptions<Schema, Req>,
): () => Verifier<InferData<Schema>, Req> {
  if (globalThis.process?.env?.NEXT_PHASE === 'phase-production-build') {
    let verifier: Verifier<InferData<Schema>, Req> | undefined;
    return () => {
      verifier ??= createVerifier<Schema, Req>(options);
      return verifier;
    };
  }
  const verifier = createVerifier<Schema, Req>(options);
  return () => verifier;
}
