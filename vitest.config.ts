import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Tests always exercise the sources, never a stale build.
const alias = {
  '@eddy/runtime': fileURLToPath(new URL('./libs/runtime/src/index.ts', import.meta.url)),
  '@eddy/migrations': fileURLToPath(new URL('./migrations/index.ts', import.meta.url)),
  '@eddy/client': fileURLToPath(new URL('./libs/client/src/index.ts', import.meta.url)),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'engine',
          include: ['libs/*/src/**/*.test.ts', 'examples/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        // Nest needs decorator metadata, which esbuild does not emit: SWC compiles this project.
        plugins: [
          swc.vite({
            module: { type: 'es6' },
            jsc: {
              parser: { syntax: 'typescript', decorators: true },
              transform: { legacyDecorator: true, decoratorMetadata: true },
              target: 'es2022',
            },
          }),
        ],
        test: {
          name: 'dispatcher',
          include: ['apps/dispatcher/test/**/*.spec.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
