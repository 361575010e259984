// Shared vitest project settings for every @sciml workspace package.
// Plain JS (not TS) because vitest loads config files with Node, which cannot import .ts from a workspace link.

/** Export condition under which each package points at its TypeScript sources (see package.json `exports`). */
export const SOURCE_CONDITION = '@sciml/source';

const conditions = [SOURCE_CONDITION, 'module', 'node', 'import', 'default'];

/**
 * Test tier: `pnpm test` runs the fast tier (every `*.test.ts` but `*.slow.test.ts`); `pnpm test:slow` sets
 * SCIML_TEST_TIER=slow and runs only `*.slow.test.ts`, the reproductions that train or integrate for minutes.
 */
const SLOW = process.env.SCIML_TEST_TIER === 'slow';
const SLOW_FILES = ['src/**/*.slow.test.ts', 'test/**/*.slow.test.ts'];

/**
 * Vitest project config for one package: resolves sibling packages from `src/` so tests never need a build
 * of their dependencies (generated kernels excepted), and keeps a long timeout for numerical suites.
 * @param {string} name - project name shown in the vitest summary
 * @param {import('vitest/config').UserWorkspaceConfig['test']} [test] - extra test options
 */
export function sciMLProject(name, test = {}) {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      name,
      include: SLOW ? SLOW_FILES : ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: SLOW ? ['**/node_modules/**'] : ['**/node_modules/**', ...SLOW_FILES],
      testTimeout: SLOW ? 900_000 : 60_000,
      hookTimeout: 60_000,
      ...test,
    },
  };
}
