import { defineConfig } from 'vitest/config';

// Three projects, one per kind of test: `unit` is pure logic (fast, many files at once);
// `integration` and `e2e` start real containers and servers, so they get long timeouts, and the
// worker pool stays at 2 (the cores here) so timing checks are not starved by their neighbours.
//   npx vitest run --project unit        the unit tests alone, in seconds
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
          testTimeout: 30_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 240_000 },
      },
    ],
  },
});
