// The official helper's call, as written for @upstash/qstash/solidjs, through Signet's drop-in.
import { KEYS } from '@signet/conformance/fixture';
import { verifySignatureSolidjs } from '@signet/solidstart';

export const POST = verifySignatureSolidjs(
  async (event) => Response.json({ id: event.locals.signet?.id ?? null }),
  { currentSigningKey: KEYS.currentSigningKey, nextSigningKey: KEYS.nextSigningKey },
);
