import { assertNDArray } from '../core/validate.js';
import { assertFloat, isComplex } from '../core/dtype.js';
import { complexMatmul } from './complex.js';
import { bind } from '../core/dispatch.js';
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { normalizeAxes } from '../core/shape.js';
import { abs, mul, sqrt } from './elementwise.js';
import { liftPair } from './lift.js';
import { max, min, sum } from './reduce.js';
import { expandDims, ravel, reshape, scatterAdd, slice, squeeze, transpose } from './shape.js';

/** Options of `matmul`: transpose either operand's last two axes without materialising the transpose. */
export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * Matrix product with NumPy semantics: 2-D @ 2-D, batched over broadcast leading axes, and 1-D operands
 * promoted to a row (left) or column (right) vector and squeezed back.
 */
export function matmul(a: NDArray, b: NDArray, options: MatmulOptions = {}): NDArray {
  assertNDArray('matmul', a, 'a');
  assertNDArray('matmul', b, 'b');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      'matmul',
      `operands must have at least one dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  // check the contracted dimension on the caller's shapes (a vector is not yet a 1×k or k×1 matrix here)
  const transA = (options.transA ?? false) && a.ndim > 1;
  const transB = (options.transB ?? false) && b.ndim > 1;
  const kA = a.shape[a.ndim - (transA ? 2 : 1)]!;
  const kB = b.ndim === 1 ? b.shape[0]! : b.shape[b.ndim - (transB ? 1 : 2)]!;
  if (kA !== kB) {
    throw new ShapeError(
      'matmul',
      `inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} @ ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} contracts ${kA} with ${kB}; the last axis of a must match ${b.ndim === 1 ? 'the length of the vector b' : 'the second-to-last axis of b'} (transpose an operand, or use transA/transB)`,
    );
  }
  if (isComplex(a.dtype) || isComplex(b.dtype))
    return complexMatmul(a, b, (p, q) => matmul(p, q, options));
  const [x, y] = liftPair('matmul', a, b);
  const vecA = x.ndim === 1;
  const vecB = y.ndim === 1;
  const A = vecA ? expandDims(x, 0) : x;
  const B = vecB ? expandDims(y, 1) : y;
  let out = bind('matmul', [A, B], {
    transA: (options.transA ?? false) && !vecA,
    transB: (options.transB ?? false) && !vecB,
  })[0]!;
  if (vecB) out = squeeze(out, out.ndim - 1);
  if (vecA) out = squeeze(out, out.ndim - (vecB ? 1 : 2));
  return out;
}

/** Dot product of vectors (a scalar), or `matmul` for higher dimensions. */
export function dot(a: NDArray, b: NDArray): NDArray {
  if (a.ndim === 1 && b.ndim === 1 && a.shape[0] !== b.shape[0]) {
    throw new ShapeError('dot', `vectors have lengths ${a.shape[0]} and ${b.shape[0]}`);
  }
  return matmul(a, b);
}

/** Outer product a bᵀ of two vectors (inputs are flattened). */
export function outer(a: NDArray, b: NDArray): NDArray {
  return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}

/** Kronecker product A ⊗ B of two matrices: block (i, j) is A[i, j]·B. */
export function kron(a: NDArray, b: NDArray): NDArray {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new ShapeError(
      'kron',
      `needs two matrices, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const [m, n] = a.shape as [number, number];
  const [p, q] = b.shape as [number, number];
  // (m,1,n,1) * (1,p,1,q) → (m,p,n,q) → (m·p, n·q)
  const prod = mul(reshape(a, [m, 1, n, 1]), reshape(b, [1, p, 1, q]));
  return reshape(prod, [m * p, n * q]);
}

/** vec(A): stacks the columns of a matrix into one vector (column-major), as in matrix calculus. */
export function vec(a: NDArray): NDArray {
  if (a.ndim !== 2) throw new ShapeError('vec', `needs a matrix, got ${formatShape(a.shape)}`);
  return ravel(transpose(a));
}

/** Inverse of `vec`: rebuilds an m×n matrix from its stacked columns. */
export function unvec(v: NDArray, m: number, n: number): NDArray {
  if (v.size !== m * n)
    throw new ShapeError('unvec', `a vector of ${v.size} elements cannot form a ${m}×${n} matrix`);
  return transpose(reshape(v, [n, m]));
}

/** The k-th diagonal of a matrix as a vector (`numpy.diagonal`). */
export function diagonal(a: NDArray, k = 0): NDArray {
  if (a.ndim !== 2) throw new ShapeError('diagonal', `needs a matrix, got ${formatShape(a.shape)}`);
  const [m, n] = a.shape as [number, number];
  const start = k >= 0 ? k : -k * n;
  const length = Math.max(0, k >= 0 ? Math.min(m, n - k) : Math.min(m + k, n));
  if (length === 0) return slice(ravel(a), { start: 0, stop: 0 });
  // element (i, i + k) sits at start + i·(n + 1) in the flattened matrix
  return slice(ravel(a), { start, stop: start + (length - 1) * (n + 1) + 1, step: n + 1 });
}

/**
 * `diag(v)`: a square matrix with vector v on diagonal k; `diag(A)`: the diagonal of matrix A (`numpy.diag`).
 */
export function diag(v: NDArray, k = 0): NDArray {
  if (v.ndim === 2) return diagonal(v, k);
  if (v.ndim !== 1)
    throw new ShapeError('diag', `needs a vector or a matrix, got ${formatShape(v.shape)}`);
  const len = v.shape[0]!;
  const n = len + Math.abs(k);
  const start = k >= 0 ? k : -k * n;
  const idx = Array.from({ length: len }, (_, i) => start + i * (n + 1));
  return reshape(scatterAdd(v, idx, [n * n]), [n, n]);
}

/** Sum of the diagonal. */
export function trace(a: NDArray): NDArray {
  return sum(diagonal(a));
}

/** Order of a norm: 1, 2, ∞ (`Infinity`), −∞ for vectors; `'fro'`, `'nuc'`, 1, 2, ∞ for matrices. */
export type NormOrder = number | 'fro' | 'nuc';

/**
 * Vector or matrix norm (`numpy.linalg.norm`). With no `axis`, 1-D inputs get the vector 2-norm and 2-D
 * inputs the Frobenius norm; `ord` selects others. Spectral (2) and nuclear norms use the SVD.
 */
export function norm(
  x: NDArray,
  ord?: NormOrder,
  options: { axis?: number | readonly number[]; keepdims?: boolean } = {},
): NDArray {
  assertFloat('norm', x.dtype);
  const axes = normalizeAxes(
    'norm',
    options.axis ?? (x.ndim <= 2 ? undefined : [x.ndim - 2, x.ndim - 1]),
    x.ndim,
  );
  const keepdims = options.keepdims ?? false;
  if (axes.length === 1 || (options.axis === undefined && x.ndim === 1)) {
    const o = ord ?? 2;
    const r = { axis: axes, keepdims };
    if (o === 2) return sqrt(sum(mul(x, x), r));
    if (o === 1) return sum(abs(x), r);
    if (o === Number.POSITIVE_INFINITY) return max(abs(x), r);
    if (o === Number.NEGATIVE_INFINITY) return min(abs(x), r);
    if (typeof o === 'number' && o > 0) {
      return bind(
        'pow',
        liftPair('norm', sum(bind('pow', liftPair('norm', abs(x), o), {})[0]!, r), 1 / o),
        {},
      )[0]!;
    }
    throw new ValueError('norm', `unsupported vector norm order ${String(o)}`);
  }
  if (axes.length !== 2)
    throw new ValueError('norm', `needs one axis (vector) or two (matrix), got ${axes.length}`);
  const [r, c] = axes as [number, number];
  const o = ord ?? 'fro';
  if (o === 'fro') return sqrt(sum(mul(x, x), { axis: axes, keepdims }));
  if (o === 1) return max(sum(abs(x), { axis: r, keepdims: true }), { axis: [r, c], keepdims });
  if (o === Number.POSITIVE_INFINITY)
    return max(sum(abs(x), { axis: c, keepdims: true }), { axis: [r, c], keepdims });
  if (o === 2 || o === 'nuc') {
    const moved = axes[0] === x.ndim - 2 && axes[1] === x.ndim - 1 ? x : moveToEnd(x, r, c);
    const s = bind('svd', [moved], { fullMatrices: false })[1]!;
    const v = o === 2 ? max(s, { axis: -1 }) : sum(s, { axis: -1 });
    return keepdims ? expandDims(expandDims(v, Math.min(r, c)), Math.max(r, c)) : v;
  }
  throw new ValueError('norm', `unsupported matrix norm order ${String(o)}`);
}

function moveToEnd(x: NDArray, r: number, c: number): NDArray {
  const rest = [...x.shape.keys()].filter((i) => i !== r && i !== c);
  return transpose(x, [...rest, r, c]);
}
