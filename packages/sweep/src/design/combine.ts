import { ValueError } from '@sciml/linalg';
import type { Design, Params } from './params.js';

/**
 * The Cartesian product of designs: every set of the first combined with every set of the second, ...
 * (the last design varying fastest). A name in two designs is an error, not a silent overwrite.
 * @example `product(grid({ noise: [0, 0.01] }), seeds(10))` → 20 jobs
 * @public
 */
export function product(...designs: readonly Design[]): Design {
  if (designs.length === 0) throw new ValueError('product', 'pass at least one design');
  let points: Params[] = [{}];
  designs.forEach((design, k) => {
    if (design.length === 0) throw new ValueError('product', `design ${k} is empty`);
    points = points.flatMap((p) =>
      design.map((q) => {
        for (const name of Object.keys(q)) {
          if (Object.hasOwn(p, name)) {
            throw new ValueError(
              'product',
              `parameter '${name}' appears in two designs; rename one of them`,
            );
          }
        }
        return { ...p, ...q };
      }),
    );
  });
  return points.map((p) => Object.freeze(p));
}

/**
 * A seed ensemble: `n` parameter sets `{ seed: start }, { seed: start + 1 }, ...`. A job's `seed` parameter
 * seeds the `rng` its task receives, so ensemble members differ only by their random numbers.
 * @public
 */
export function seeds(
  n: number,
  options: { readonly start?: number; readonly name?: string } = {},
): Design {
  const start = options.start ?? 0;
  const name = options.name ?? 'seed';
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ValueError('seeds', `n must be a positive integer, got ${n}`);
  }
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new ValueError('seeds', `start must be a non-negative integer, got ${start}`);
  }
  return Array.from({ length: n }, (_, i) => Object.freeze({ [name]: start + i }));
}
