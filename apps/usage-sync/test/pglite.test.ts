// Without DATABASE_URL the app runs on embedded PGlite: migrated, seeded and synced the same way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.ts';

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'usage-sync-pglite-'));
beforeAll(async () => {
  stack = await startStack({ pgliteDir: join(dir, 'db') });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves, counts and syncs on PGlite', async () => {
  for (let i = 0; i < 3; i++) expect((await stack.api(1)).status).toBe(200);
  const response = await stack.cron();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ scanned: 1, updated: 1, skipped: 0 });
  const dashboard = await (await fetch(stack.app.origin)).text();
  expect(dashboard).toMatch(/data-testid="synced">3</);
});
