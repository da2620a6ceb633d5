// Served on Bun, Deno and workerd (the Workers module format, which all three serve): verifies
// a corpus of requests with whichever build of @signet/core the runtime's own resolution picks,
// and says which build that was.
import { createVerifier, cryptoBackend, isVerificationError } from '@signet/core';

export interface CorpusCase {
  name: string;
  token: string;
  /** The body, base64 (bytes that are not UTF-8 survive JSON). */
  body: string;
  url: string;
}

export interface CorpusOutcome {
  name: string;
  ok: boolean;
  code?: string;
  /** The verified body's text, for the accepted ones. */
  text?: string;
}

function bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ready');
    const { keys, cases } = (await request.json()) as {
      keys: { currentSigningKey: string; nextSigningKey: string };
      cases: CorpusCase[];
    };
    const verifier = createVerifier(keys);
    const outcomes: CorpusOutcome[] = [];
    for (const item of cases) {
      try {
        const message = await verifier.verify({
          signature: item.token,
          body: bytes(item.body),
          url: item.url,
        });
        outcomes.push({ name: item.name, ok: true, text: message.text() });
      } catch (error) {
        outcomes.push({
          name: item.name,
          ok: false,
          code: isVerificationError(error) ? error.code : `THREW ${String(error)}`,
        });
      }
    }
    return Response.json({ build: cryptoBackend, outcomes });
  },
};
