import { ValueError } from '@sciml/linalg';
import type { Matrix } from '../matrix.js';
import {
  type Differentiator,
  type Times,
  defineDifferentiator,
  fornbergWeights,
} from './differentiator.js';

/** Options of {@link finiteDifference}. @public */
export interface FiniteDifferenceOptions {
  /** Order of accuracy, an even number ≥ 2 (default 2: the centred 3-point formula). */
  order?: number;
}

/**
 * d/dt of each column by finite differences of the given order of accuracy: centred (order + 1)-point
 * stencils inside, one-sided stencils of the same order at the ends. Order 2 is pysindy's default,
 * (x[i+1] − x[i−1]) / 2dt inside and (−3x₀ + 4x₁ − x₂) / 2dt at the start. Non-uniform sample times use
 * Fornberg's weights for the actual spacing.
 * @public
 */
export function finiteDifference(options: FiniteDifferenceOptions = {}): Differentiator {
  const order = options.order ?? 2;
  if (!Number.isInteger(order) || order < 2 || order % 2 !== 0) {
    throw new ValueError('finiteDifference', `order must be an even integer ≥ 2, got ${order}`);
  }
  return defineDifferentiator(`finiteDifference(order=${order})`, order + 1, (x, t) => ({
    derivative: differentiateColumns(x, t, order),
  }));
}

/** Stencil start for sample i: centred inside, clamped to the ends (one-sided there). */
function stencilStart(i: number, m: number, width: number): number {
  return Math.min(Math.max(i - (width - 1) / 2, 0), m - width);
}

/** Finite-difference derivative of every column of `x` (shared with the smoothing methods). */
export function differentiateColumns(x: Matrix, t: Times, order: number): Matrix {
  const { rows: m, cols: n } = x;
  const width = order + 1;
  const out = new Float64Array(m * n);
  // Uniform grids reuse one weight vector per stencil offset; scaled by 1/dt.
  const cache = new Map<number, Float64Array>();
  const weightsAt = (i: number, s: number): Float64Array => {
    if (t.dt === undefined) return fornbergWeights(t.times[i]!, t.times.subarray(s, s + width), 1);
    const key = i - s;
    let w = cache.get(key);
    if (!w) {
      const nodes = Float64Array.from({ length: width }, (_, k) => k - key);
      w = fornbergWeights(0, nodes, 1).map((v) => v / t.dt!);
      cache.set(key, w);
    }
    return w;
  };
  for (let i = 0; i < m; i++) {
    const s = stencilStart(i, m, width);
    const w = weightsAt(i, s);
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < width; k++) acc += w[k]! * x.data[(s + k) * n + j]!;
      out[i * n + j] = acc;
    }
  }
  return { rows: m, cols: n, data: out };
}
