// The test files that measure the host itself (event-loop delay while a run trains): they run
// after the main pass, one file at a time, so the other tests' training does not share the two
// cores with the measurement. scripts/run-tests.mjs runs both passes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.serial.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
