import {
  type NDArray,
  SingularMatrixError,
  choSolve,
  cholesky,
  fromTypedArray,
} from '@sciml/linalg';
import type { GramProblem } from './optimizer.js';

/**
 * Ridge least squares restricted to a support: ξ_S = (G_SS + αI)⁻¹ B_S for one target, zero off S.
 * With α = 0 this is the ordinary least-squares refit ("unbiasing"). The one place the SINDy optimisers
 * solve a linear system; it factorises with @sciml/linalg's `cholesky` (the normal equations are
 * symmetric positive definite whenever the support's features are independent or α > 0).
 */
export function solveOnSupport(
  op: string,
  g: GramProblem,
  target: number,
  support: readonly number[],
  alpha: number,
): Float64Array {
  const { features: p, targets: k } = g;
  const xi = new Float64Array(p);
  const s = support.length;
  if (s === 0) return xi;
  const A = new Float64Array(s * s);
  const b = new Float64Array(s);
  for (let a = 0; a < s; a++) {
    for (let c = 0; c < s; c++) A[a * s + c] = g.G[support[a]! * p + support[c]!]!;
    A[a * s + a]! += alpha;
    b[a] = g.B[support[a]! * k + target]!;
  }
  const L = factor(A, s, () => {
    throw new SingularMatrixError(
      op,
      `the ${s} library features kept for target ${target} are linearly dependent (their normal matrix is ` +
        'numerically singular); use a ridge penalty alpha > 0, or a library without duplicate features',
    );
  });
  const sol = choSolve(L, fromTypedArray(b, [s])).dataSync();
  for (let a = 0; a < s; a++) xi[support[a]!] = sol[a]!;
  return xi;
}

/** Solves (G + c I) X = R for every column of R (p×k, row-major) with one factorisation. */
export function solveShifted(
  op: string,
  g: GramProblem,
  shift: number,
): (rhs: Float64Array) => Float64Array {
  const p = g.features;
  const A = Float64Array.from(g.G);
  for (let i = 0; i < p; i++) A[i * p + i]! += shift;
  const L = factor(A, p, () => {
    throw new SingularMatrixError(op, `ΘᵀΘ + ${shift}·I is numerically singular; use a smaller nu`);
  });
  return (rhs) =>
    Float64Array.from(choSolve(L, fromTypedArray(rhs, [p, rhs.length / p])).dataSync());
}

/**
 * Cholesky factor of the s×s matrix A, or `onSingular()` when A is not positive definite or a pivot is below
 * rounding level relative to A's diagonal (a Gram matrix of dependent columns can pass a plain Cholesky
 * with a tiny positive pivot and then give a huge, meaningless solution).
 */
function factor(A: Float64Array, s: number, onSingular: () => never): NDArray {
  let L: NDArray;
  try {
    L = cholesky(fromTypedArray(A, [s, s]));
  } catch (e) {
    if (e instanceof SingularMatrixError) onSingular();
    throw e;
  }
  const l = L.dataSync();
  let maxDiag = 0;
  for (let i = 0; i < s; i++) maxDiag = Math.max(maxDiag, A[i * s + i]!);
  for (let i = 0; i < s; i++) {
    if (l[i * s + i]! ** 2 <= 1e-14 * s * maxDiag) onSingular();
  }
  return L;
}
