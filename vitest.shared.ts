import { defineConfig } from 'vitest/config';

/** Shared Vitest settings: resolve workspace packages to their TypeScript sources. */
export default defineConfig({
  resolve: { conditions: ['@terra-vertex/source'] },
  ssr: { resolve: { conditions: ['@terra-vertex/source'] } },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The JSON report feeds tools/test-summary.ts, which prints the suite-wide total for CI.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
