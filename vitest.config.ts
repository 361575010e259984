import { defineConfig } from 'vitest/config';

// One command runs every package's tests: each workspace folder with a vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'benchmarks/vitest.config.ts',
      'examples/vitest.config.ts',
      'tooling/*/vitest.config.ts',
    ],
  },
});
