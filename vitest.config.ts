import { defineConfig } from 'vitest/config';

// Integration tests start real containers: they get long timeouts and run one file at a time
// per worker pool slot (2 cores here), unit tests stay fast.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/tests-junit.xml' },
  },
});
