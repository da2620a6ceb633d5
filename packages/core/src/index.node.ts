import { nodeCrypto } from './crypto/node.ts';
import { defineCreateSigner } from './sign.ts';
import { defineCreateVerifier } from './verifier.ts';

export * from './index.ts';

/**
 * Creates a verifier for QStash-signed requests (Node build: `node:crypto`).
 *
 * @example
 * ```ts
 * const verifier = createVerifier(); // keys from QSTASH_CURRENT_SIGNING_KEY / QSTASH_NEXT_SIGNING_KEY
 * const message = await verifier.verifyRequest(request); // throws VerificationError
 * ```
 */
export const createVerifier = defineCreateVerifier(nodeCrypto);

/** Makes tokens exactly as QStash does, for tests and for `signet dev`. */
export const createSigner = defineCreateSigner(nodeCrypto);
export const cryptoBackend: 'node' | 'web' = 'node';
