// `pnpm --filter @signet/core fuzz [runs]`: the differential property at scale (default 100,000
// cases), printing what was explored and how many tampered requests were accepted (must be 0).
import fc from 'fast-check';
import { builds } from '../builds.ts';
import { caseArb, makeChecker } from './property.ts';
import { newStats, record } from './stats.ts';

const runs = Number(process.argv[2] ?? 100_000);
const check = makeChecker(builds);
const stats = newStats();
const started = performance.now();
let failure: unknown;
try {
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      record(stats, await check(c));
    }),
    { numRuns: runs },
  );
} catch (error) {
  failure = error;
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `differential fuzz: ${stats.cases} cases in ${seconds} s, both builds against @upstash/qstash Receiver`,
);
console.log(`  tampered requests:          ${stats.tampered}`);
console.log(`  tampered requests accepted: ${stats.tamperedAccepted} (must be 0)`);
console.log(`  accepted by official:       ${stats.officialAccepted}`);
console.log(`  accepted by Signet:         ${stats.signetAccepted}`);
console.log('  Signet stricter (official accepts, Signet rejects):');
for (const [reason, count] of Object.entries(stats.disagreements))
  console.log(`    ${reason}: ${count}`);
console.log('  Signet outcomes:');
for (const [code, count] of Object.entries(stats.codes).sort((a, b) => b[1] - a[1]))
  console.log(`    ${code}: ${count}`);
if (failure || stats.tamperedAccepted > 0 || stats.cases < runs) {
  console.error(failure ?? 'FAILED');
  process.exit(1);
}
