import { NDArray, ShapeError, ValueError, formatShape, reshape } from '@sciml/linalg';
import { type Matrix, type MatrixLike, readMatrix, toNDArray } from '../matrix.js';

/**
 * Sample times: a number is a uniform step dt (samples at 0, dt, 2dt, …); an array gives each sample's time
 * (strictly increasing).
 * @public
 */
export type TimeGrid = number | readonly number[] | Float64Array | NDArray;

/** Result of a derivative estimate. @public */
export interface DerivativeEstimate {
  /** dX/dt at every sample, same shape as X. */
  readonly derivative: NDArray;
  /** The denoised state, for methods that smooth (Savitzky–Golay, TV); SINDy builds its library from it. */
  readonly smoothed?: NDArray;
}

/**
 * A numerical differentiation method for sampled trajectories (pysindy's `differentiation` module).
 * @public
 */
export interface Differentiator {
  /** Short description, e.g. `finiteDifference(order=2)`. */
  readonly description: string;
  /** Derivative (and smoothed state where the method smooths) of every column of `x` along time. */
  estimate(x: MatrixLike, t: TimeGrid): DerivativeEstimate;
  /** Only the derivative dX/dt, same shape as `x`. */
  differentiate(x: MatrixLike, t: TimeGrid): NDArray;
}

/** Resolved sample times. */
export interface Times {
  /** Time of each sample. */
  readonly times: Float64Array;
  /** The step when the samples are uniform (to rounding), else undefined. */
  readonly dt: number | undefined;
}

/** Checks `t` against `m` samples and returns the sample times and, when uniform, the step. */
export function resolveTimes(op: string, t: TimeGrid, m: number): Times {
  if (typeof t === 'number') {
    if (!Number.isFinite(t) || t <= 0)
      throw new ValueError(op, `the time step must be finite and > 0, got ${t}`);
    return { times: Float64Array.from({ length: m }, (_, i) => i * t), dt: t };
  }
  let times: Float64Array;
  if (t instanceof NDArray) {
    if (t.ndim !== 1)
      throw new ShapeError(op, `sample times must be 1-D, got shape ${formatShape(t.shape)}`);
    times = Float64Array.from(t.dataSync());
  } else {
    times = Float64Array.from(t);
  }
  if (times.length !== m) {
    throw new ShapeError(
      op,
      `got ${times.length} sample times for ${m} samples; pass one time per row of x, or a step dt`,
    );
  }
  for (let i = 1; i < m; i++) {
    if (!(times[i]! > times[i - 1]!)) {
      throw new ValueError(
        op,
        `sample times must be strictly increasing, but t[${i}] = ${times[i]} ≤ t[${i - 1}] = ${times[i - 1]}`,
      );
    }
  }
  const mean = m > 1 ? (times[m - 1]! - times[0]!) / (m - 1) : 1;
  let uniform = true;
  for (let i = 1; i < m && uniform; i++)
    uniform = Math.abs(times[i]! - times[i - 1]! - mean) <= 1e-9 * mean;
  return { times, dt: uniform ? mean : undefined };
}

/** The plain-matrix core of a differentiation method. */
export interface MatrixDerivative {
  readonly derivative: Matrix;
  readonly smoothed?: Matrix;
}

/** Builds a {@link Differentiator} from its core, which works column by column on float64 matrices. */
export function defineDifferentiator(
  description: string,
  minSamples: number,
  core: (x: Matrix, times: Times) => MatrixDerivative,
): Differentiator {
  const estimate = (x: MatrixLike, t: TimeGrid): DerivativeEstimate => {
    const op = description;
    const m = readMatrix(op, x);
    if (m.rows < minSamples) {
      throw new ShapeError(op, `needs at least ${minSamples} samples, got ${m.rows}`);
    }
    const r = core(m, resolveTimes(op, t, m.rows));
    const shape = x instanceof NDArray && x.ndim === 1 ? [m.rows] : [m.rows, m.cols];
    const wrap = (a: Matrix) => (shape.length === 2 ? toNDArray(a) : reshape(toNDArray(a), shape));
    return r.smoothed
      ? { derivative: wrap(r.derivative), smoothed: wrap(r.smoothed) }
      : { derivative: wrap(r.derivative) };
  };
  return { description, estimate, differentiate: (x, t) => estimate(x, t).derivative };
}

/**
 * Finite-difference weights for the `deriv`-th derivative at `z` from values at `nodes` (Fornberg 1988,
 * "Generation of finite difference formulas on arbitrarily spaced grids", Math. Comp. 51:699).
 */
export function fornbergWeights(z: number, nodes: ArrayLike<number>, deriv: number): Float64Array {
  const n = nodes.length;
  // c[j][k]: weight of node j for the k-th derivative, built up one node at a time.
  const c = Array.from({ length: n }, () => new Float64Array(deriv + 1));
  let c1 = 1;
  let c4 = nodes[0]! - z;
  c[0]![0] = 1;
  for (let i = 1; i < n; i++) {
    const mn = Math.min(i, deriv);
    let c2 = 1;
    const c5 = c4;
    c4 = nodes[i]! - z;
    for (let j = 0; j < i; j++) {
      const c3 = nodes[i]! - nodes[j]!;
      c2 *= c3;
      if (j === i - 1) {
        for (let k = mn; k >= 1; k--)
          c[i]![k] = (c1 * (k * c[i - 1]![k - 1]! - c5 * c[i - 1]![k]!)) / c2;
        c[i]![0] = (-c1 * c5 * c[i - 1]![0]!) / c2;
      }
      for (let k = mn; k >= 1; k--) c[j]![k] = (c4 * c[j]![k]! - k * c[j]![k - 1]!) / c3;
      c[j]![0] = (c4 * c[j]![0]!) / c3;
    }
    c1 = c2;
  }
  return Float64Array.from(c, (row) => row[deriv]!);
}
