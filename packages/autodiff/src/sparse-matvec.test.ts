// Gradients of the sparse products of @sciml/linalg/sparse: they compose gather · mul · scatterAdd while a
// transform records, so these rules come from the primitive tables; checked here against central differences.
import { type NDArray, array, fromTypedArray, matmul, mul, sum } from '@sciml/linalg';
import { CsrMatrix, LinearOperator, spmm, spmv } from '@sciml/linalg/sparse';
import { describe, expect, it } from 'vitest';
import { checkGrads } from './check-grads.js';
import { grad, jit, jvp } from './index.js';

// a 4×5 pattern with an empty row, a repeated column and a duplicate triplet (summed)
const A = CsrMatrix.fromTriplets(
  [4, 5],
  [0, 0, 1, 1, 3, 3, 3],
  [1, 4, 0, 4, 2, 2, 3],
  [2, -1, 0.5, 3, 1, 0.25, -2],
);

describe('sparse matrix–vector products under autodiff', () => {
  it('checks d(spmv)/dx and d/dvalues to second order, forward and reverse', () => {
    const x = array([0.3, -1.2, 0.7, 2, -0.4]);
    const values = fromTypedArray(A.data.slice());
    checkGrads((v: NDArray) => mul(spmv(A, v), spmv(A, v)), [x], { order: 2 });
    checkGrads(
      (vals: NDArray, v: NDArray) => spmv(A, v, { values: mul(vals, vals) }),
      [values, x],
      {
        order: 2,
      },
    );
  });

  it('gives ∂/∂x = Aᵀȳ and ∂/∂values_k = ȳ[row_k]·x[col_k] exactly', () => {
    const x = array([1, 2, 3, 4, 5]);
    const w = array([1, -1, 2, 0.5]);
    const gx = grad((v: NDArray) => sum(mul(w, spmv(A, v))))(x).dataSync();
    const ref = A.rmatvec(w.dataSync() as Float64Array);
    expect(Array.from(gx)).toEqual(Array.from(ref));
    const gv = grad((vals: NDArray) => sum(mul(w, spmv(A, x, { values: vals }))))(
      fromTypedArray(A.data.slice()),
    ).dataSync();
    const coo = A.toCoo();
    const xs = x.dataSync();
    const ws = w.dataSync();
    coo.data.forEach((_, k) => {
      expect(gv[k]).toBeCloseTo(ws[coo.rows[k]!]! * xs[coo.cols[k]!]!, 15);
    });
  });

  it('spmm matches the dense product and its JVP', () => {
    const X = fromTypedArray(
      Float64Array.from({ length: 10 }, (_, i) => Math.sin(i)),
      [5, 2],
    );
    const T = fromTypedArray(
      Float64Array.from({ length: 10 }, (_, i) => Math.cos(i)),
      [5, 2],
    );
    const [y, dy] = jvp((v: NDArray) => spmm(A, v), [X], [T]);
    const D = A.toDense();
    const close = (a: NDArray, b: NDArray) =>
      a.dataSync().forEach((v, i) => {
        expect(v).toBeCloseTo(b.dataSync()[i]!, 14);
      });
    close(y as NDArray, matmul(D, X));
    close(dy as NDArray, matmul(D, T));
    checkGrads((v: NDArray) => spmm(A, v), [X]);
  });
});

describe('matrix-free operators under autodiff', () => {
  it('refuse to be differentiated instead of returning a silent zero gradient', () => {
    const op = new LinearOperator(A.shape, (v) => A.matvec(v));
    expect(() => grad((v: NDArray) => sum(spmv(op, v)))(array([1, 2, 3, 4, 5]))).toThrow(
      /cannot be differentiated/,
    );
  });
});

describe('sparse products inside jit', () => {
  it('traces spmv to gather/mul/scatterAdd and returns the eager numbers', () => {
    const f = jit((v: NDArray) => spmv(A, v));
    const x = array([0.5, 1, -1, 2, 3]);
    expect(Array.from(f(x).dataSync())).toEqual(Array.from(spmv(A, x).dataSync()));
  });
});
