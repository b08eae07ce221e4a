import { defineConfig } from 'vitest/config';

// One project per kind of test: `unit` is pure logic (fast, many files at once); `integration`
// and `e2e` start real containers and servers, so they get long timeouts, and the worker pool
// stays at 2 (the cores here). `timing` holds the files whose figures are CPU-bound measurements
// side by side (the mock's p99 against a bare timer under 500 connections): they run last and
// alone (sequence.groupOrder), because a container-heavy file beside them measures its own load.
//   npx vitest run --project unit        the unit tests alone, in seconds
const TIMING = ['test/integration/mocks/cli.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/tests-junit.xml' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: TIMING,
          testTimeout: 30_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'timing',
          include: TIMING,
          testTimeout: 30_000,
          hookTimeout: 240_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 240_000 },
      },
    ],
  },
});
