import { ValueError } from '@sciml/linalg';
import type { Design, ParamValue, Params } from './params.js';

/**
 * A full factorial grid: every combination of the listed values, the last name varying fastest.
 * @example `grid({ noise: [0, 0.01], threshold: [0.05, 0.1] })` → 4 parameter sets
 * @public
 */
export function grid(values: Readonly<Record<string, readonly ParamValue[]>>): Design {
  const names = Object.keys(values);
  if (names.length === 0) throw new ValueError('grid', 'name at least one parameter');
  for (const name of names) {
    const list = values[name];
    if (!Array.isArray(list) || list.length === 0) {
      throw new ValueError('grid', `'${name}' needs a non-empty array of values`);
    }
  }
  let points: Params[] = [{}];
  for (const name of names) {
    points = points.flatMap((p) => values[name]!.map((v) => ({ ...p, [name]: v })));
  }
  return points.map((p) => Object.freeze(p));
}

/**
 * `n` evenly spaced numbers from `start` to `stop` inclusive (NumPy's `linspace`), for grid axes.
 * @public
 */
export function linspaceValues(start: number, stop: number, n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ValueError('linspaceValues', `n must be a positive integer, got ${n}`);
  }
  if (n === 1) return [start];
  return Array.from({ length: n }, (_, i) => start + ((stop - start) * i) / (n - 1));
}

/**
 * `n` log-evenly spaced numbers from `start` to `stop` inclusive (NumPy's `geomspace`), for grid axes of
 * regularisation strengths and learning rates. Both ends must be positive.
 * @public
 */
export function geomspaceValues(start: number, stop: number, n: number): number[] {
  if (!(start > 0 && stop > 0)) {
    throw new ValueError(
      'geomspaceValues',
      `start and stop must be positive, got ${start}, ${stop}`,
    );
  }
  return linspaceValues(Math.log(start), Math.log(stop), n).map((v, i, all) =>
    // the ends exactly as given, not exp(log(x)) with its rounding
    i === 0 ? start : i === all.length - 1 ? stop : Math.exp(v),
  );
}
