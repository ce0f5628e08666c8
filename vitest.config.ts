import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      // Tests always exercise the sources, never a stale build.
      '@eddy/runtime': fileURLToPath(new URL('./libs/runtime/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
