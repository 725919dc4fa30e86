import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // *.serial.test.ts run alone afterwards (vitest.serial.config.ts).
    exclude: ['tests/e2e/**', 'node_modules/**', 'tests/**/*.serial.test.ts'],
    // Separate processes: the engine's native and wasm backends keep global state per process.
    pool: 'forks',
    // One test file per core (Vitest's default leaves one core idle: on a 2-core machine the suite ran
    // file after file, 13 min instead of 9). The suite's engines run one wasm thread each
    // (scripts/run-tests.mjs), so a file per core does not oversubscribe the cores.
    maxWorkers: Math.max(1, os.availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
