import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Real Redis and real time; nothing to gain from isolating files in separate workers.
    pool: 'threads',
  },
});
