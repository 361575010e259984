/**
 * Linear propagation of a perturbation, eₜ = Jₜ eₜ₋₁: how an initial error (or a one-step emulator error)
 * grows under the linearised dynamics (the tangent-linear model of data assimilation).
 */
import { type NDArray, ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { toStateVector } from '../integrate/solve-ivp.js';

/** Result of {@link propagateLinearError}. @public */
export interface LinearErrorPropagation {
  /** The errors e₀ … e_T, shape (n, T + 1) (columns are times, as `solveIVP`'s y). */
  errors: NDArray;
  /** ‖eₜ‖₂ for t = 0 … T. */
  norms: Float64Array;
  /** Average growth rate per step, log(‖e_T‖/‖e₀‖)/T (a finite-time Lyapunov exponent when e₀ is generic). */
  growthRate: number;
}

function matrixData(op: string, J: NDArray, n: number, step: number): Float64Array {
  if (J.ndim !== 2 || J.shape[0] !== n || J.shape[1] !== n) {
    throw new ShapeError(
      op,
      `the Jacobian of step ${step} has shape (${J.shape.join(', ')}); expected (${n}, ${n}) for e of length ${n}`,
    );
  }
  return J.dataSync() as Float64Array;
}

/**
 * Propagates e₀ through eₜ = Jₜ eₜ₋₁ for `steps` steps. `jacobians` is one fixed matrix J (then
 * eₜ = Jᵗ e₀), an array of per-step matrices (steps = its length), or a function t ↦ Jₜ (t = 1 … steps).
 * @public
 */
export function propagateLinearError(
  jacobians: NDArray | readonly NDArray[] | ((t: number) => NDArray),
  e0: ArrayLike<number> | NDArray,
  steps?: number,
): LinearErrorPropagation {
  const op = 'propagateLinearError';
  const e = toStateVector(op, e0);
  const n = e.length;
  let T: number;
  let at: (t: number) => NDArray;
  if (Array.isArray(jacobians)) {
    const list = jacobians as readonly NDArray[];
    T = steps ?? list.length;
    if (T > list.length)
      throw new ValueError(op, `steps = ${T} but only ${list.length} Jacobians were given`);
    at = (t) => list[t - 1];
  } else if (typeof jacobians === 'function') {
    if (steps === undefined)
      throw new ValueError(op, 'pass steps when the Jacobians come from a function');
    T = steps;
    at = jacobians as (t: number) => NDArray;
  } else {
    if (steps === undefined)
      throw new ValueError(op, 'pass steps when propagating with one fixed Jacobian');
    T = steps;
    const J = jacobians as NDArray;
    at = () => J;
  }
  if (!Number.isInteger(T) || T < 0)
    throw new ValueError(op, `steps must be a non-negative integer, got ${T}`);
  const out = new Float64Array(n * (T + 1));
  const norms = new Float64Array(T + 1);
  let cur = e;
  const next = new Float64Array(n);
  const store = (t: number, v: Float64Array): void => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      out[i * (T + 1) + t] = v[i];
      s += v[i] * v[i];
    }
    norms[t] = Math.sqrt(s);
  };
  store(0, cur);
  for (let t = 1; t <= T; t++) {
    const J = matrixData(op, at(t), n, t);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += J[i * n + j] * cur[j];
      next[i] = acc;
    }
    cur.set(next);
    store(t, cur);
  }
  cur = e;
  const growthRate = T > 0 ? Math.log(norms[T] / norms[0]) / T : 0;
  return { errors: fromTypedArray(out, [n, T + 1]), norms, growthRate };
}
