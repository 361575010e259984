import { type PyTree, customVjp, vjp } from '@sciml/autodiff';
import {
  ConvergenceError,
  type NDArray,
  ShapeError,
  ValueError,
  fromTypedArray,
  neg,
  zeros,
} from '@sciml/linalg';
import {
  type KrylovResult,
  type LinearMap,
  LinearOperator,
  bicgstab,
  cg,
  gmres,
  minres,
} from '@sciml/linalg/sparse';

/** Options of {@link linearSolve}. @public */
export interface LinearSolveOptions {
  /** Krylov method for the solve and for the adjoint solve (default 'cg', which needs A symmetric positive definite). */
  method?: 'cg' | 'minres' | 'gmres' | 'bicgstab';
  /**
   * Whether A = Aᵀ, so the adjoint solve reuses A (default true for 'cg' and 'minres', false otherwise; Aᵀv is
   * then the vector–Jacobian product of x ↦ A x, obtained by autodiff).
   */
  symmetric?: boolean;
  /** Relative tolerance ‖b − A x‖ ≤ rtol·‖b‖ of both solves (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Iteration limit of each solve (default 10·n). */
  maxIter?: number;
  /** Preconditioner applying M⁻¹ (a sparse matrix or operator of typed arrays). */
  M?: LinearMap;
}

const SOLVERS = { cg, minres, gmres, bicgstab } as const;

/**
 * x = A(θ)⁻¹ b by a Krylov method for a matrix-free A(θ) given as `matvec(x, θ)` built from @sciml/linalg ops,
 * differentiable in b and in the parameter pytree θ by implicit differentiation (JAX's `custom_linear_solve`):
 * from A x = b, the cotangent x̄ gives b̄ = λ with Aᵀ λ = x̄ (one more Krylov solve, with A itself when
 * symmetric) and θ̄ = −(∂(A(θ) x)/∂θ)ᵀ λ (one vector–Jacobian product of the matvec at the solution). The solver's
 * iterations are never recorded, so memory does not grow with their number. Non-convergence of either solve is a
 * ConvergenceError.
 * @example
 * ```ts
 * // d/dθ of ½‖x‖² with (L + diag θ) x = b
 * const loss = (theta: NDArray) => sum(square(linearSolve((v, t) => add(spmv(L, v), mul(t, v)), b, theta)));
 * const g = grad(loss)(theta);
 * ```
 * @public
 */
export function linearSolve<P extends PyTree>(
  matvec: (x: NDArray, params: P) => NDArray,
  b: NDArray,
  params: P,
  options: LinearSolveOptions = {},
): NDArray {
  if (typeof matvec !== 'function')
    throw new ValueError('linearSolve', 'matvec must be a function (x, params) => A(params)·x');
  if (b.ndim !== 1)
    throw new ShapeError('linearSolve', `b must be a vector, got shape [${b.shape.join(', ')}]`);
  const method = options.method ?? 'cg';
  if (!(method in SOLVERS))
    throw new ValueError(
      'linearSolve',
      `method must be 'cg', 'minres', 'gmres' or 'bicgstab', got '${String(method)}'`,
    );
  const symmetric = options.symmetric ?? (method === 'cg' || method === 'minres');
  const solve = customVjp(
    (rhs: NDArray, p: P) => krylovSolve(matvec, rhs, p, method, options),
    (ct: NDArray, x: NDArray, _rhs: NDArray, p: P) => {
      // λ = A⁻ᵀ x̄: with A symmetric a differentiable solve with A itself (so second derivatives see through
      // it); otherwise a solve with Aᵀv = vjp of u ↦ A u, formed here in the backward pass, where autodiff runs
      const lambda = symmetric
        ? linearSolve(matvec, ct, p, options)
        : krylovSolve(
            (v: NDArray, q: P) => {
              const [, pull] = vjp((u: NDArray) => matvec(u, q), zeros([b.shape[0]!]));
              return pull(v)[0] as NDArray;
            },
            ct,
            p,
            method,
            options,
          );
      // θ̄ = −(∂_θ A(θ)x)ᵀ λ
      const [, pullParams] = vjp((q: P) => matvec(x, q), p);
      return [lambda, pullParams(neg(lambda))[0] as PyTree];
    },
  );
  return solve(b, params);
}

/** The forward solve on typed arrays (its steps are hidden from the autodiff tape by customVjp). */
function krylovSolve<P extends PyTree>(
  matvec: (x: NDArray, params: P) => NDArray,
  b: NDArray,
  params: P,
  method: keyof typeof SOLVERS,
  options: LinearSolveOptions,
): NDArray {
  const n = b.shape[0]!;
  const A = new LinearOperator([n, n], (v) => {
    const y = matvec(fromTypedArray(Float64Array.from(v), [n]), params);
    if (y.ndim !== 1 || y.shape[0] !== n) {
      throw new ShapeError(
        'linearSolve',
        `matvec returned shape [${y.shape.join(', ')}] for x of shape [${n}]; A must be square`,
      );
    }
    return y.dataSync() as ArrayLike<number>;
  });
  const krylov = {
    rtol: options.rtol ?? 1e-10,
    atol: options.atol ?? 0,
    maxIter: options.maxIter,
    M: options.M,
  };
  const r: KrylovResult = SOLVERS[method](
    A,
    Float64Array.from(b.dataSync() as ArrayLike<number>),
    krylov,
  );
  if (!r.converged) {
    throw new ConvergenceError(
      'linearSolve',
      `${method} stopped with ‖b − Ax‖ = ${r.residualNorm.toExponential(3)} after ${r.iterations} iterations (${r.message}); raise maxIter, pass a preconditioner M, or use method 'gmres' for a nonsymmetric A`,
      r.iterations,
    );
  }
  return r.x;
}
