// Adapters must import @signet/core, never ship a copy of it: a bundled copy would freeze core
// fixes out of the adapter and break `instanceof VerificationError` across packages.
import { readFileSync } from 'node:fs';

/** Throws unless the built file imports @signet/core and contains none of its code. */
export function assertCoreIsExternal(builtFile: string): void {
  const code = readFileSync(builtFile, 'utf8');
  if (!/from\s*["']@signet\/core["']/.test(code))
    throw new Error(`${builtFile} does not import @signet/core`);
  for (const marker of ['function publicUrl', 'function parseToken', 'class VerificationError']) {
    if (code.includes(marker))
      throw new Error(`${builtFile} bundles @signet/core (found "${marker}")`);
  }
}
