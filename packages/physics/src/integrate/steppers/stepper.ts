import type { OdeRhsInPlace } from '../types.js';

/** A one-step integrator advancing (t, y) toward `tBound`; used by `solveIVP`'s driver. */
export interface Stepper {
  /** Current (last accepted) time and state. */
  t: number;
  readonly y: Float64Array;
  /** Start of the last accepted step. */
  tOld: number;
  /** Counters reported in `OdeResult`. */
  nfev: number;
  njev: number;
  nlu: number;
  nsteps: number;
  nrejected: number;
  /** Takes one accepted step; returns null on success or the reason for failure. */
  step(): string | null;
  /** Fixed-step methods: takes up to `count` steps in one tight loop (the fast path without per-step output). */
  advance?(count: number): string | null;
  /** Fixed-step methods: steps needed for t to reach `target`. */
  stepsUntil?(target: number): number;
  /** Dense output of the last step at t ∈ [tOld, t], into `out`. */
  interpolate(t: number, out: Float64Array): void;
  /** A standalone copy of the last step's dense output (for `sol`). */
  segment(): (t: number, out: Float64Array) => void;
}

/** Tolerance settings of the adaptive steppers, already validated. */
export interface Tolerances {
  rtol: number;
  /** One entry per component. */
  atol: Float64Array;
}

/**
 * RMS norm of e scaled by atol + rtol·max(|y0|, |y1|) (Hairer–Nørsett–Wanner I, eq. II.4.11):
 * err ≤ 1 means the step meets the tolerance.
 */
export function scaledErrorNorm(
  e: Float64Array,
  y0: Float64Array,
  y1: Float64Array,
  tol: Tolerances,
): number {
  const n = e.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const sc = tol.atol[i] + tol.rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
    const r = e[i] / sc;
    s += r * r;
  }
  return Math.sqrt(s / n);
}

/**
 * Initial step by Hairer's heuristic (Hairer–Nørsett–Wanner I, §II.4 "Starting step size"; SciPy's
 * `select_initial_step`): one Euler step probes the second derivative. `f0` = f(t0, y0); costs one f.
 */
export function initialStep(
  f: OdeRhsInPlace,
  t0: number,
  y0: Float64Array,
  f0: Float64Array,
  direction: number,
  errorOrder: number,
  tol: Tolerances,
  interval: number,
): number {
  const n = y0.length;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < n; i++) {
    const sc = tol.atol[i] + Math.abs(y0[i]) * tol.rtol;
    d0 += (y0[i] / sc) ** 2;
    d1 += (f0[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / n);
  d1 = Math.sqrt(d1 / n);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  h0 = Math.min(h0, interval);
  const y1 = new Float64Array(n);
  for (let i = 0; i < n; i++) y1[i] = y0[i] + h0 * direction * f0[i];
  const f1 = new Float64Array(n);
  f(t0 + h0 * direction, y1, f1);
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const sc = tol.atol[i] + Math.abs(y0[i]) * tol.rtol;
    d2 += ((f1[i] - f0[i]) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / n) / h0;
  const h1 =
    d1 <= 1e-15 && d2 <= 1e-15
      ? Math.max(1e-6, h0 * 1e-3)
      : (0.01 / Math.max(d1, d2)) ** (1 / (errorOrder + 1));
  return Math.min(100 * h0, h1, interval);
}

/** Smallest step that still changes t (SciPy's criterion: 10 ulps of t). */
export function minimumStep(t: number): number {
  return 10 * Math.max(Number.EPSILON * Math.abs(t), Number.MIN_VALUE);
}
