import { ShapeError, ValueError } from '../../core/errors.js';
import type { NDArray } from '../../core/ndarray.js';
import { fromTypedArray } from '../../ops/creation.js';
import { type LinearMap, aslinearoperator } from '../operator.js';

/** Options shared by the Krylov solvers. @public */
export interface KrylovOptions {
  /** Starting guess (default zeros). */
  x0?: NDArray | ArrayLike<number>;
  /** Relative tolerance: stop when ‖b − A x‖₂ ≤ max(rtol·‖b‖₂, atol) (default 1e-8). */
  rtol?: number;
  /** Absolute tolerance on ‖b − A x‖₂ (default 0). */
  atol?: number;
  /** Iteration limit (default 10·n; for GMRES it counts inner iterations). */
  maxIter?: number;
  /**
   * Preconditioner: an operator applying M⁻¹ (e.g. {@link jacobi}, {@link ssor}, {@link ilu0}, or any
   * {@link LinearMap}). CG and MINRES need it symmetric positive definite.
   */
  M?: LinearMap;
  /** Called after each iteration with the iteration number and the residual norm (estimate) it tests. */
  callback?: (iteration: number, residualNorm: number) => unknown;
}

/** What a Krylov solver returns. Non-convergence is reported (`converged: false`), never hidden as NaN. @public */
export interface KrylovResult {
  /** The solution (or the last iterate). */
  x: NDArray;
  /** Whether ‖b − A x‖₂ ≤ max(rtol·‖b‖₂, atol) holds for the returned x. */
  converged: boolean;
  /** Iterations performed (inner iterations for GMRES). */
  iterations: number;
  /** ‖b − A x‖₂ of the returned x, recomputed from A (not the recursive estimate). */
  residualNorm: number;
  /** Products with A performed (including the final residual check). */
  matvecs: number;
  /** Why the solver stopped. */
  message: string;
}

/** The set-up every solver shares: operator, right-hand side, start, tolerance. */
export interface KrylovProblem {
  A: LinearMap;
  b: Float64Array;
  x: Float64Array;
  n: number;
  tol: number;
  maxIter: number;
  M: LinearMap | undefined;
  matvecs: number;
  callback: KrylovOptions['callback'];
}

function toVector(op: string, v: NDArray | ArrayLike<number>, what: string): Float64Array {
  const data =
    typeof (v as NDArray).dataSync === 'function'
      ? ((v as NDArray).dataSync() as ArrayLike<number>)
      : (v as ArrayLike<number>);
  const out = Float64Array.from(data);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!))
      throw new ValueError(op, `${what} has a non-finite entry at ${i}`);
  }
  return out;
}

/** Validates the inputs of a square solve and resolves the options. */
export function setUp(
  op: string,
  a: LinearMap | NDArray,
  b: NDArray | ArrayLike<number>,
  options: KrylovOptions,
): KrylovProblem {
  const A = aslinearoperator(a);
  const [m, n] = A.shape;
  if (m !== n) throw new ShapeError(op, `needs a square operator, got ${m}×${n}`);
  const bv = toVector(op, b, 'b');
  if (bv.length !== n)
    throw new ShapeError(op, `b has ${bv.length} entries for a ${n}×${n} operator`);
  const x = options.x0 === undefined ? new Float64Array(n) : toVector(op, options.x0, 'x0');
  if (x.length !== n)
    throw new ShapeError(op, `x0 has ${x.length} entries for a ${n}×${n} operator`);
  const rtol = options.rtol ?? 1e-8;
  const atol = options.atol ?? 0;
  if (!(rtol >= 0) || !(atol >= 0))
    throw new ValueError(op, `rtol and atol must be non-negative, got ${rtol}, ${atol}`);
  const maxIter = options.maxIter ?? 10 * n;
  if (!Number.isInteger(maxIter) || maxIter < 0)
    throw new ValueError(op, `maxIter must be a non-negative integer, got ${maxIter}`);
  if (options.M && (options.M.shape[0] !== n || options.M.shape[1] !== n)) {
    throw new ShapeError(
      op,
      `the preconditioner is ${options.M.shape.join('×')}, expected ${n}×${n}`,
    );
  }
  return {
    A,
    b: bv,
    x,
    n,
    tol: Math.max(rtol * norm(bv), atol),
    maxIter,
    M: options.M,
    matvecs: 0,
    callback: options.callback,
  };
}

/** out = A v, counted. */
export function apply(p: KrylovProblem, v: Float64Array, out: Float64Array): Float64Array {
  p.matvecs++;
  return p.A.matvec(v, out);
}

/** out = M⁻¹ v (a copy of v without preconditioner). */
export function precondition(p: KrylovProblem, v: Float64Array, out: Float64Array): Float64Array {
  if (!p.M) {
    out.set(v);
    return out;
  }
  return p.M.matvec(v, out);
}

/** r = b − A x, counted. */
export function residual(p: KrylovProblem, x: Float64Array, r: Float64Array): Float64Array {
  apply(p, x, r);
  for (let i = 0; i < p.n; i++) r[i] = p.b[i]! - r[i]!;
  return r;
}

/** Packs the result, recomputing the true residual of x. */
export function finish(p: KrylovProblem, iterations: number, message: string): KrylovResult {
  const r = residual(p, p.x, new Float64Array(p.n));
  const residualNorm = norm(r);
  const finite = Number.isFinite(residualNorm);
  const converged = finite && residualNorm <= p.tol;
  return {
    x: fromTypedArray(p.x),
    converged,
    iterations,
    residualNorm,
    matvecs: p.matvecs,
    message: !finite ? 'non-finite iterate (breakdown)' : converged ? 'converged' : message,
  };
}

/** xᵀy. */
export function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** ‖x‖₂. */
export function norm(x: Float64Array): number {
  return Math.sqrt(dot(x, x));
}

/** y ← y + a·x. */
export function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!;
}
