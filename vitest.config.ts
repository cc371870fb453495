import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.tools/**', '.data/**'],
    // Temporal's native core and the workers are happier in forked processes than in threads.
    pool: 'forks',
    // Two cores: more files at once only makes the end-to-end tests (servers, bundling) slower.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        // `npm run test:unit`: pure tests (`*.unit.test.ts`: the language, calendar, ranking,
        // contracts, signing, middleware on a bare app), in seconds, with no server at all. No
        // database is started for them, so one that reached for PostgreSQL would fail.
        extends: true,
        test: { name: 'unit', include: ['**/*.unit.test.ts'], env: { DATABASE_URL: '' } },
      },
      {
        // Everything else runs the real parts: PostgreSQL, Temporal, the gateway over HTTP.
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', '.tools/**', '.data/**', '**/*.unit.test.ts'],
          // One embedded PostgreSQL for the run (the engine `npm start` runs), unless DATABASE_URL is set.
          globalSetup: ['./test/support/global-postgres.ts'],
        },
      },
    ],
  },
});
