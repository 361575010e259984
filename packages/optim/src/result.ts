import type { NDArray } from '@sciml/linalg';

/**
 * Outcome of a deterministic minimiser, shaped like SciPy's `OptimizeResult`; `T` is the parameters' type
 * (a vector NDArray, or the start value's pytree structure).
 */
export interface OptimizeResult<T = NDArray> {
  /** The solution (or the last iterate when `success` is false), shaped like the start value. */
  x: T;
  /** f(x). */
  fun: number;
  /** ∇f(x), shaped like x. */
  grad: T;
  /** Iterations performed. */
  nit: number;
  /** Objective evaluations. */
  nfev: number;
  /** Gradient evaluations. */
  ngev: number;
  /** Hessian evaluations (Newton only; 0 otherwise). */
  nhev: number;
  /** Whether the convergence test was met. */
  success: boolean;
  /** Why the method stopped. */
  message: string;
  /**
   * The final inverse-Hessian approximation, (n, n) over the flat parameter vector ('bfgs' only, as SciPy's
   * `hess_inv`): pass it as `hessInv0` to warm-start a further run.
   */
  hessInv?: NDArray;
}

/** Why a method stopped; `success` is true only for the first two. */
export const STOP = {
  gradient: 'gradient norm below gtol',
  step: 'step or function change below tolerance',
  maxIter: 'maximum number of iterations reached',
  lineSearch: 'line search failed to find an acceptable step',
  notFinite: 'non-finite objective or gradient encountered',
  cycle:
    'the fixed step oscillates between two points (stepSize is too large for the curvature): use a smaller stepSize or a line search',
} as const;
