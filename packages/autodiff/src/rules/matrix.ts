/**
 * Matrix helpers for the linear-algebra rules: batched products and solves through the primitives, constant
 * triangle masks, and symmetrisation. Everything works on batches (…, m, n) and on any backend.
 */
import {
  type NDArray,
  add,
  arange,
  astype,
  bind,
  div,
  equal,
  mT,
  mul,
  reshape,
  sub,
  tril,
  triu,
} from '@sciml/linalg';
import { constant } from './util.js';

/** op(a) op(b) through the `matmul` primitive (ᵀ when the flag is set). */
export function mm(a: NDArray, b: NDArray, transA = false, transB = false): NDArray {
  return bind('matmul', [a, b], { transA, transB })[0]!;
}

/** Solves op(T) X = B for triangular T (the `triangularSolve` primitive). */
export function triSolve(
  t: NDArray,
  b: NDArray,
  lower: boolean,
  transA = false,
  unitDiagonal = false,
): NDArray {
  return bind('triangularSolve', [t, b], { lower, transA, unitDiagonal })[0]!;
}

/** Swaps the last two axes. */
export const T = mT;

/** ½(X + Xᵀ). */
export function sym(x: NDArray): NDArray {
  return mul(add(x, mT(x)), 0.5);
}

/** Constant m×n mask: `fn(i, j)` per entry, in the float dtype of `like`. */
function mask(m: number, n: number, like: NDArray, fn: (i: number, j: number) => number): NDArray {
  const v = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) v[i * n + j] = fn(i, j);
  return constant(v, [m, n], like.dtype, like);
}

function dims(x: NDArray): [number, number] {
  return [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
}

// tril/triu come from @sciml/linalg (re-exported here for the rule modules that import them from this file)
export { tril, triu };

/** Φ(X): the lower triangle with the diagonal halved (Murray 2016, eq. 10). */
export function phi(x: NDArray): NDArray {
  const [m, n] = dims(x);
  return mul(
    x,
    mask(m, n, x, (i, j) => (j < i ? 1 : j === i ? 0.5 : 0)),
  );
}

/** The n×n identity in the dtype of `like`. */
export function eyeLike(n: number, like: NDArray): NDArray {
  return mask(n, n, like, (i, j) => (i === j ? 1 : 0));
}

/** Diagonal matrices from a batch of vectors (…, n) → (…, n, n). */
export function diagMatrix(v: NDArray): NDArray {
  const n = v.shape[v.ndim - 1]!;
  return mul(eyeLike(n, v), reshape(v, [...v.shape.slice(0, -1), 1, n]));
}

/** Diagonals of a batch of square matrices (…, n, n) → (…, n). */
export function diagOf(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1]!;
  return bind('sum', [mul(x, eyeLike(n, x))], { axes: [x.ndim - 1], keepdims: false })[0]!;
}

/**
 * F with Fᵢⱼ = 1 / (dⱼ − dᵢ) off the diagonal and 0 on it, from a batch of vectors d (…, n): the divided
 * differences of the eigenvector (and singular-vector) derivatives. Needs distinct dᵢ.
 */
export function inverseGaps(d: NDArray): NDArray {
  const n = d.shape[d.ndim - 1]!;
  const row = reshape(d, [...d.shape.slice(0, -1), 1, n]);
  const col = reshape(d, [...d.shape.slice(0, -1), n, 1]);
  const eye = eyeLike(n, d);
  const gaps = sub(row, col);
  // 1/(gap + I) − I: the diagonal becomes 1/1 − 1 = 0 without dividing by zero
  return sub(div(1, add(gaps, eye)), eye);
}

/** The float permutation matrices Pₘ (Pₘ)ᵢⱼ = [perm[i] = j] of a batch of int32 permutations (…, m). */
export function permutationMatrix(perm: NDArray, like: NDArray): NDArray {
  const m = perm.shape[perm.ndim - 1]!;
  const cols = arange(m, undefined, 1, { dtype: 'int32', backend: perm.backend });
  const hit = equal(reshape(perm, [...perm.shape, 1]), cols);
  return astype(hit, like.dtype);
}
