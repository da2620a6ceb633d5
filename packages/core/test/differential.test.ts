import fc from 'fast-check';
import { expect, it } from 'vitest';
import { builds } from './builds.ts';
import { caseArb, makeChecker } from './fuzz/property.ts';
import { newStats, record } from './fuzz/stats.ts';

const RUNS = 10_000;

it(`agrees with the official Receiver and never accepts a tampered request (${RUNS} random cases, both builds)`, async () => {
  const check = makeChecker(builds);
  const stats = newStats();
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      record(stats, await check(c));
    }),
    { numRuns: RUNS },
  );
  // The property holds, and the generator really explored both sides of it.
  expect(stats.cases).toBeGreaterThanOrEqual(RUNS);
  expect(stats.tamperedAccepted).toBe(0);
  expect(stats.tampered).toBeGreaterThan(RUNS / 4);
  expect(stats.signetAccepted).toBeGreaterThan(RUNS / 20);
  expect(Object.keys(stats.disagreements).sort()).toEqual([
    'algorithm HS384',
    'algorithm HS512',
    'no exp claim',
    'non-canonical base64url signature',
  ]);
  for (const code of [
    'SIGNATURE_MALFORMED',
    'ALGORITHM_REJECTED',
    'SIGNATURE_INVALID',
    'ISSUER_MISMATCH',
    'TOKEN_EXPIRED',
    'TOKEN_NOT_YET_VALID',
    'URL_MISMATCH',
    'BODY_MISMATCH',
  ]) {
    expect(stats.codes[code], code).toBeGreaterThan(0);
  }
}, 300_000);
