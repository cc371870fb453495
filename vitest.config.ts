import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.tools/**', '.data/**'],
    // Temporal's native core and the workers are happier in forked processes than in threads.
    pool: 'forks',
    // Two cores: more files at once only makes the end-to-end tests (servers, bundling) slower.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One embedded PostgreSQL for the run (the engine `npm start` runs), unless DATABASE_URL is set.
    globalSetup: ['./test/support/global-postgres.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
