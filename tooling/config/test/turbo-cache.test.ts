// A task whose outputs are also its inputs changes its own hash by running: the next `turbo build` misses
// the cache and, through the dependency hashes, rebuilds every package above it (what `npm test` did right
// after `npm run quickstart`: linalg writes src/kernels/generated/ inside its `src/**` input).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const turbo = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '..', '..', '..', 'turbo.json'), 'utf8'),
) as { tasks: Record<string, { inputs?: string[]; outputs?: string[] }> };

/** The directory part of a glob before its first wildcard (`src/**` → `src/`). */
const base = (glob: string) => glob.slice(0, glob.search(/[*?{[]|$/));

describe('turbo.json', () => {
  for (const [name, task] of Object.entries(turbo.tasks)) {
    it(`${name}: no output is also an input`, () => {
      const inputs = task.inputs ?? [];
      const excluded = inputs.filter((g) => g.startsWith('!')).map((g) => base(g.slice(1)));
      for (const out of task.outputs ?? []) {
        const covering = inputs.filter((g) => !g.startsWith('!') && base(out).startsWith(base(g)));
        const isExcluded = excluded.some((e) => base(out).startsWith(e));
        expect(covering.length === 0 || isExcluded, `${out} is inside ${covering.join(', ')}`).toBe(
          true,
        );
      }
    });
  }
});
