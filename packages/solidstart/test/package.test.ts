import { fileURLToPath } from 'node:url';
import { assertCoreIsExternal } from '@signet/conformance';
import { expect, it } from 'vitest';

it('imports @signet/core instead of bundling a copy of it', () => {
  expect(() =>
    assertCoreIsExternal(fileURLToPath(new URL('../dist/index.js', import.meta.url))),
  ).not.toThrow();
});
