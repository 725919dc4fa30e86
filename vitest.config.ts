import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // *.serial.test.ts run alone afterwards (vitest.serial.config.ts).
    exclude: ['tests/e2e/**', 'node_modules/**', 'tests/**/*.serial.test.ts'],
    // Separate processes: the engine's native and wasm backends keep global state per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
