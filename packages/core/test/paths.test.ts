// pathGuard: a path under a guarded prefix stays under it by every spelling a router might
// decode, and a path that is not under it is not dragged in by a lookalike.
import { pathVariants } from '@signet/test-kit';
import { describe, expect, it } from 'vitest';
import { adapter } from './builds.ts';

const { pathGuard } = adapter;

describe('pathGuard', () => {
  const guarded = pathGuard(['/api/jobs', '/hooks/']);

  it('matches the prefix itself and everything below it', () => {
    for (const path of [
      '/api/jobs',
      '/api/jobs/',
      '/api/jobs/1',
      '/api/jobs/1/run',
      '/hooks',
      '/hooks/a',
    ]) {
      expect(guarded(path), path).toBe(true);
    }
  });

  it('does not match neighbours that only share the first characters', () => {
    for (const path of [
      '/api/jobsx',
      '/api/job',
      '/api/jobs-old/1',
      '/api',
      '/',
      '/hooksy/a',
      '/other/api/jobs',
    ]) {
      expect(guarded(path), path).toBe(false);
    }
  });

  it.each(['/api/jobs/1', '/api/jobs', '/hooks/order'])(
    'matches every hostile spelling of %s',
    (path) => {
      const variants = pathVariants(path);
      expect(variants.length).toBeGreaterThan(50);
      // A guard sees the path without the query, as routers hand it over.
      const escaped = variants.filter((variant) => !guarded(variant.path.split('?')[0] as string));
      expect(escaped.map((variant) => `${variant.path} (${variant.why})`)).toEqual([]);
    },
  );

  it('matches what SvelteKit routes /api/job%73/1 to, the hole this guard closes', () => {
    expect(guarded('/api/job%73/1')).toBe(true);
    expect(guarded('/api/job%2573/1')).toBe(true);
    expect(guarded('/API/Jobs/1')).toBe(true);
  });

  it('fails closed on malformed escapes instead of throwing', () => {
    expect(() => guarded('/api/jobs/%E0%A4%A')).not.toThrow();
    expect(guarded('/api/jobs/%E0%A4%A')).toBe(true);
    expect(guarded('/api/job%zz')).toBe(false);
  });

  it('guards everything with "/"', () => {
    expect(pathGuard(['/'])('/anything/at/all')).toBe(true);
  });

  it('refuses prefixes that do not start with "/"', () => {
    expect(() => pathGuard(['api/jobs'])).toThrow(TypeError);
    expect(() => pathGuard([''])).toThrow(TypeError);
  });
});
