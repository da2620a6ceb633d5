import { webCrypto } from './crypto/web.ts';
import { defineCreateSigner } from './sign.ts';
import { defineCreateVerifier } from './verifier.ts';

export * from './index.ts';

/**
 * Creates a verifier for QStash-signed requests (Web build: `crypto.subtle`, for edge runtimes,
 * workers, Deno and browsers).
 *
 * @example
 * ```ts
 * const verifier = createVerifier(); // keys from QSTASH_CURRENT_SIGNING_KEY / QSTASH_NEXT_SIGNING_KEY
 * const message = await verifier.verifyRequest(request); // throws VerificationError
 * ```
 */
export const createVerifier = defineCreateVerifier(webCrypto);

/** Makes tokens exactly as QStash does, for tests and for `signet dev`. */
export const createSigner = defineCreateSigner(webCrypto);
export const cryptoBackend: 'node' | 'web' = 'web';
