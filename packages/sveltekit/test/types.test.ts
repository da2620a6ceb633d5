// The hook and the wrapper must fit SvelteKit's own types, which `vite build` never checks.

import { KEYS } from '@signet/conformance/fixture';
import type { RequestHandler } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { expect, expectTypeOf, it } from 'vitest';
import { signatureHandle, verifySignatureSvelte } from '../src/index.ts';

it('signatureHandle() is a Handle and verifySignatureSvelte() a RequestHandler', () => {
  const handle: Handle = signatureHandle({ ...KEYS, paths: '/api/hooks' });
  const endpoint: RequestHandler = verifySignatureSvelte(
    async ({ request }) => new Response(await request.text()),
    KEYS,
  );
  expectTypeOf(handle).toBeFunction();
  expect(typeof endpoint).toBe('function');
});
