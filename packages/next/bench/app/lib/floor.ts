// The floor: the fastest honest check written by hand (@signet/test-kit's node:crypto
// floorVerifier, inline), reading the body once and parsing it, with nothing else.
import { floorVerifier } from '@signet/test-kit';

export const floorVerify = floorVerifier([
  process.env.QSTASH_CURRENT_SIGNING_KEY ?? '',
  process.env.QSTASH_NEXT_SIGNING_KEY ?? '',
]);
