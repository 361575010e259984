/**
 * Levenberg–Marquardt and Gauss–Newton as a coroutine over evaluations: the loop yields "residual at x" and
 * "Jacobian at x" requests, so one implementation runs synchronously on the CPU (`leastSquares`) or awaits
 * each read from a GPU (`leastSquaresAsync`) with the same iterates. The iteration itself works on the small
 * n×n normal equations in float64 on the host.
 */
import {
  type NDArray,
  SingularMatrixError,
  choSolve,
  cholesky,
  fromTypedArray,
  inv,
} from '@sciml/linalg';
import { blindDerivativeMessage, changesAlongProbe$ } from '../stationarity.js';

/** What the loop asks for: r(x) (m values) or J(x) (m×n, row-major). */
export type LsqRequest =
  | { readonly kind: 'residual'; readonly x: Float64Array }
  | { readonly kind: 'jacobian'; readonly x: Float64Array; readonly m: number };

/** The settings the loop reads (defaults applied by the caller). */
export interface LmSettings {
  /** Levenberg–Marquardt (true) or Gauss–Newton with backtracking (false). */
  readonly lm: boolean;
  readonly ftol: number;
  readonly xtol: number;
  readonly gtol: number;
  readonly maxIter: number;
  readonly tau: number;
}

/** Where the loop stopped. */
export interface LmOutcome {
  x: Float64Array;
  r: Float64Array;
  cost: number;
  J: Float64Array;
  JtJ: Float64Array;
  Jtr: Float64Array;
  m: number;
  nit: number;
  nfev: number;
  njev: number;
  success: boolean;
  message: string;
}

/** JᵀJ (n×n) and Jᵀr (n). */
function normalEquations(
  J: Float64Array,
  r: Float64Array,
  m: number,
  n: number,
): { JtJ: Float64Array; Jtr: Float64Array } {
  const JtJ = new Float64Array(n * n);
  const Jtr = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let a = 0; a < n; a++) {
      const ja = J[row + a]!;
      if (ja === 0) continue;
      Jtr[a]! += ja * r[i]!;
      for (let b = a; b < n; b++) JtJ[a * n + b]! += ja * J[row + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) JtJ[a * n + b] = JtJ[b * n + a]!;
  return { JtJ, Jtr };
}

/** Solves (JᵀJ + μ diag(JᵀJ)) δ = −Jᵀr by Cholesky; undefined when the damped matrix is not positive definite. */
function dampedStep(
  JtJ: Float64Array,
  Jtr: Float64Array,
  mu: number,
  n: number,
): Float64Array | undefined {
  const A = JtJ.slice();
  // Marquardt's scaling by the diagonal (kept ≥ a tiny floor so zero columns stay regular)
  for (let i = 0; i < n; i++) A[i * n + i]! += mu * Math.max(JtJ[i * n + i]!, 1e-12);
  try {
    const L = cholesky(fromTypedArray(A, [n, n]));
    return Float64Array.from(
      choSolve(L, fromTypedArray(Float64Array.from(Jtr, (v) => -v))).dataSync(),
    );
  } catch (e) {
    if (e instanceof SingularMatrixError) return undefined;
    throw e;
  }
}

const halfSquares = (r: Float64Array) => {
  let s = 0;
  for (const v of r) s += v * v;
  return 0.5 * s;
};

/**
 * The LM / Gauss–Newton iteration from `start`: Marquardt's diagonal scaling and Nielsen's adaptive damping
 * (accept: μ ← μ·max(1/3, 1 − (2ρ − 1)³); reject: μ ← μν, ν ← 2ν; Madsen, Nielsen & Tingleff 2004).
 * Throws a ValueError through `notFinite` when r(x0) is not finite.
 */
export function* levenbergMarquardt$(
  start: Float64Array,
  s: LmSettings,
  notFinite: () => Error,
): Generator<LsqRequest, LmOutcome, Float64Array> {
  const n = start.length;
  let nfev = 0;
  let njev = 0;
  const residual = function* (x: Float64Array): Generator<LsqRequest, Float64Array, Float64Array> {
    nfev++;
    return yield { kind: 'residual', x };
  };
  let x: Float64Array = start.slice();
  let r = yield* residual(x);
  const m = r.length;
  let cost = halfSquares(r);
  if (!Number.isFinite(cost)) throw notFinite();
  const jacobian = function* (at: Float64Array): Generator<LsqRequest, Float64Array, Float64Array> {
    njev++;
    return yield { kind: 'jacobian', x: at, m };
  };
  let J = yield* jacobian(x);
  let { JtJ, Jtr } = normalEquations(J, r, m, n);
  let mu = s.tau * Math.max(...Array.from({ length: n }, (_, i) => JtJ[i * n + i]!), 1e-300);
  let nu = 2;
  let message = 'maximum number of iterations reached';
  let success = false;
  let nit = 0;
  const gradNorm = () => Jtr.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  // a Jacobian of exact zeros where the residual is not zero: make sure r is really flat in x
  const blind =
    J.every((v) => v === 0) && r.some((v) => v !== 0)
      ? yield* changesAlongProbe$(residual, x)
      : undefined;
  if (blind !== undefined) message = blindDerivativeMessage('Jacobian', blind);
  const { lm } = s;
  for (; blind === undefined && nit < s.maxIter; nit++) {
    if (gradNorm() <= s.gtol) {
      message = 'gradient norm below gtol';
      success = true;
      break;
    }
    let step = dampedStep(JtJ, Jtr, lm ? mu : 0, n);
    if (!step) {
      if (!lm) {
        message = 'JᵀJ is singular: Gauss–Newton cannot continue (use method "lm")';
        break;
      }
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu)) {
        message = 'damping overflowed: the damped normal equations stay singular';
        break;
      }
      continue;
    }
    let trial = Float64Array.from(x, (v, i) => v + step![i]!);
    let nextR = yield* residual(trial);
    let nextCost = halfSquares(nextR);
    if (!lm) {
      // Gauss–Newton: halve the step until the cost decreases
      let t = 1;
      while (!(nextCost < cost) && t > 1e-10) {
        t /= 2;
        step = step.map((v) => v / 2);
        trial = Float64Array.from(x, (v, i) => v + step![i]!);
        nextR = yield* residual(trial);
        nextCost = halfSquares(nextR);
      }
      if (!(nextCost < cost)) {
        message = 'no decrease along the Gauss–Newton direction';
        success = gradNorm() <= Math.sqrt(s.gtol);
        break;
      }
    }
    // gain ratio ρ = actual / predicted reduction, predicted = ½ δᵀ(μ D δ − Jᵀr)
    let predicted = 0;
    for (let i = 0; i < n; i++)
      predicted +=
        0.5 * step[i]! * ((lm ? mu * Math.max(JtJ[i * n + i]!, 1e-12) : 0) * step[i]! - Jtr[i]!);
    const rho = Number.isFinite(nextCost) ? (cost - nextCost) / Math.max(predicted, 1e-300) : -1;
    const xNorm = Math.hypot(...x);
    const stepNorm = Math.hypot(...step);
    if (!lm || rho > 0) {
      const reduction = (cost - nextCost) / Math.max(cost, 1e-300);
      x = trial;
      r = nextR;
      cost = nextCost;
      J = yield* jacobian(x);
      ({ JtJ, Jtr } = normalEquations(J, r, m, n));
      if (lm) {
        mu *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
      }
      if (stepNorm <= s.xtol * (xNorm + s.xtol)) {
        message = 'step size below xtol';
        success = true;
        nit++;
        break;
      }
      if (reduction >= 0 && reduction <= s.ftol) {
        message = 'relative cost reduction below ftol';
        success = true;
        nit++;
        break;
      }
    } else {
      // a rejected step that is already below xtol (or a predicted decrease below ftol) means no
      // representable improvement is left: converged, as in MINPACK's lmder
      if (stepNorm <= s.xtol * (xNorm + s.xtol) || predicted <= s.ftol * cost) {
        message =
          stepNorm <= s.xtol * (xNorm + s.xtol)
            ? 'step size below xtol'
            : 'relative cost reduction below ftol';
        success = true;
        break;
      }
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu)) {
        message = 'damping overflowed: no acceptable step';
        break;
      }
    }
  }
  return { x, r, cost, J, JtJ, Jtr, m, nit, nfev, njev, success, message };
}

/** The linearised covariance s²(JᵀJ)⁻¹, s² = ‖r‖²/(m − n); undefined when m ≤ n or JᵀJ is singular. */
export function lmCovariance(o: LmOutcome, n: number): NDArray | undefined {
  if (o.m <= n) return undefined;
  try {
    const s2 = (2 * o.cost) / (o.m - n);
    const Cinv = inv(fromTypedArray(o.JtJ.slice(), [n, n]));
    return fromTypedArray(
      Float64Array.from(Cinv.dataSync(), (v) => v * s2),
      [n, n],
    );
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
    return undefined;
  }
}
