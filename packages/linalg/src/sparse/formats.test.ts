import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { add, mul } from '../ops/elementwise.js';
import { kron, matmul } from '../ops/linear.js';
import { slice, transpose } from '../ops/shape.js';
import { Generator } from '../random/generator.js';
import { sparseDiags, sparseEye, sparseKron } from './construct.js';
import { CooMatrix } from './coo.js';
import { CscMatrix } from './csc.js';
import { CsrMatrix } from './csr.js';
import { spmm, spmv } from './ndarray-interop.js';
import { LinearOperator, aslinearoperator } from './operator.js';

/** A random m×n matrix with about `density`·m·n stored entries (duplicates included) and its dense twin. */
function randomSparse(rng: Generator, m: number, n: number, density: number) {
  const count = Math.round(density * m * n);
  const rows = Array.from({ length: count }, () => Math.floor(rng.nextFloat() * m));
  const cols = Array.from({ length: count }, () => Math.floor(rng.nextFloat() * n));
  const vals = Array.from({ length: count }, () => rng.nextFloat() * 2 - 1);
  const dense = new Float64Array(m * n);
  rows.forEach((r, k) => {
    dense[r * n + cols[k]!]! += vals[k]!;
  });
  return { rows, cols, vals, dense: fromTypedArray(dense, [m, n]) };
}

const maxDiff = (a: NDArray, b: NDArray) => {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
};

describe('sparse formats against dense equivalents', () => {
  const rng = new Generator(3);
  const { rows, cols, vals, dense } = randomSparse(rng, 13, 9, 0.4);
  const csr = CsrMatrix.fromTriplets([13, 9], rows, cols, vals);

  it('builds canonical CSR from triplets, summing duplicates', () => {
    expect(maxDiff(csr.toDense(), dense)).toBeLessThan(1e-15);
    for (let i = 0; i < 13; i++) {
      for (let k = csr.indptr[i]! + 1; k < csr.indptr[i + 1]!; k++)
        expect(csr.indices[k]!).toBeGreaterThan(csr.indices[k - 1]!);
    }
    expect(csr.nnz).toBeLessThan(rows.length); // 47 triplets in 117 slots repeat some positions
    const twice = CsrMatrix.fromTriplets([2, 2], [0, 0, 1], [1, 1, 0], [2, 3, 4]);
    expect(twice.toDense().toNested()).toEqual([
      [0, 5],
      [4, 0],
    ]);
  });

  it('converts COO ↔ CSR ↔ CSC without changing the matrix', () => {
    const coo = new CooMatrix([13, 9], rows, cols, vals);
    const csc = CscMatrix.fromTriplets([13, 9], rows, cols, vals);
    expect(maxDiff(coo.toDense(), dense)).toBeLessThan(1e-15);
    expect(maxDiff(csc.toDense(), dense)).toBeLessThan(1e-15);
    expect(maxDiff(coo.toCsc().toCsr().toDense(), dense)).toBeLessThan(1e-15);
    expect(maxDiff(csr.toCsc().toCoo().toDense(), dense)).toBeLessThan(1e-15);
    expect(maxDiff(CsrMatrix.fromDense(dense).toDense(), dense)).toBe(0);
    expect(CsrMatrix.fromDense(dense).nnz).toBe(csr.nnz);
  });

  it('multiplies like the dense matrix: matvec, rmatvec, matmat in every format', () => {
    const x = Float64Array.from({ length: 9 }, (_, i) => Math.sin(i + 1));
    const y = Float64Array.from({ length: 13 }, (_, i) => Math.cos(i));
    const ax = matmul(dense, fromTypedArray(x, [9, 1]));
    const aty = matmul(transpose(dense), fromTypedArray(y, [13, 1]));
    for (const A of [csr, csr.toCsc(), csr.toCoo()]) {
      expect(maxDiff(fromTypedArray(A.matvec(x), [13, 1]), ax)).toBeLessThan(1e-14);
      expect(maxDiff(fromTypedArray(A.rmatvec(y), [9, 1]), aty)).toBeLessThan(1e-14);
    }
    const B = rng.normal([9, 4]);
    expect(maxDiff(spmm(csr, B), matmul(dense, B))).toBeLessThan(1e-14);
    expect(maxDiff(spmv(csr, fromTypedArray(x)), fromTypedArray(csr.matvec(x)))).toBe(0);
    // CSC and COO operands give the same product (converted to CSR once and cached)
    const csc = csr.toCsc();
    expect(maxDiff(spmv(csc, fromTypedArray(x)), fromTypedArray(csr.matvec(x)))).toBeLessThan(
      1e-15,
    );
    expect(maxDiff(spmv(csc, fromTypedArray(x)), fromTypedArray(csr.matvec(x)))).toBeLessThan(
      1e-15,
    );
    expect(maxDiff(spmm(csr.toCoo(), B), matmul(dense, B))).toBeLessThan(1e-14);
  });

  it('transposes, scales, adds, slices rows and reads diagonals', () => {
    expect(maxDiff(csr.transpose().toDense(), transpose(dense))).toBe(0);
    expect(maxDiff(csr.toCsc().transpose().toDense(), transpose(dense))).toBe(0);
    expect(maxDiff(csr.toCoo().transpose().toDense(), transpose(dense))).toBe(0);
    expect(maxDiff(csr.scale(-2.5).toDense(), mul(dense, -2.5))).toBe(0);
    const other = randomSparse(rng, 13, 9, 0.3);
    const B = new CooMatrix([13, 9], other.rows, other.cols, other.vals);
    expect(
      maxDiff(csr.add(B, 3, 0.5).toDense(), add(mul(dense, 0.5), mul(other.dense, 3))),
    ).toBeLessThan(1e-15);
    expect(maxDiff(csr.sliceRows(4, 11).toDense(), slice(dense, '4:11'))).toBe(0);
    expect(maxDiff(csr.sliceRows(-3).toDense(), slice(dense, '-3:'))).toBe(0);
    const picked = csr.selectRows([5, 0, 5]).toDense().toNested() as number[][];
    const d = dense.toNested() as number[][];
    expect(picked).toEqual([d[5], d[0], d[5]]);
    for (const k of [0, 2, -4]) {
      const diag = Array.from(csr.diagonal(k));
      const ref = d.flatMap((row, i) => (i + k >= 0 && i + k < 9 ? [row[i + k]!] : []));
      expect(diag).toEqual(ref);
    }
  });

  it('builds identity, diagonals and Kronecker products', () => {
    expect(sparseEye(3).toDense().toNested()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const T = sparseDiags([-1, 2, [3, 4]], [-1, 0, 1], [3, 3]);
    expect(T.toDense().toNested()).toEqual([
      [2, 3, 0],
      [-1, 2, 4],
      [0, -1, 2],
    ]);
    const small = randomSparse(rng, 3, 4, 0.5);
    const A = CsrMatrix.fromTriplets([3, 4], small.rows, small.cols, small.vals);
    expect(maxDiff(sparseKron(A, T).toDense(), kron(small.dense, T.toDense()))).toBeLessThan(1e-15);
    expect(
      maxDiff(sparseKron(T, A.toCsc()).toDense(), kron(T.toDense(), small.dense)),
    ).toBeLessThan(1e-15);
  });

  it('wraps dense matrices and functions as operators', () => {
    const op = aslinearoperator(dense);
    const x = Float64Array.from({ length: 9 }, (_, i) => i - 4);
    const fromDense = op.matvec(x);
    const fromSparse = csr.matvec(x);
    fromSparse.forEach((v, i) => {
      expect(fromDense[i]).toBeCloseTo(v, 13);
    });
    const y = Float64Array.from({ length: 13 }, (_, i) => i);
    csr.rmatvec(y).forEach((v, i) => {
      expect(op.rmatvec!(y)[i]).toBeCloseTo(v, 13);
    });
    // spmv/spmm accept a matrix-free operator too (outside autodiff)
    const asOp = new LinearOperator([13, 9], (v) => csr.matvec(v));
    expect(maxDiff(spmv(asOp, fromTypedArray(x)), fromTypedArray(csr.matvec(x)))).toBe(0);
    const X = fromTypedArray(
      Float64Array.from({ length: 27 }, (_, i) => Math.cos(i)),
      [9, 3],
    );
    expect(maxDiff(spmm(asOp, X), matmul(dense, X))).toBeLessThan(1e-14);
    expect(() => spmv(asOp, fromTypedArray(x), { values: fromTypedArray(csr.data) })).toThrow(
      ValueError,
    );
    const f = new LinearOperator([9, 13], (y) => csr.rmatvec(y));
    expect(() => f.rmatvec(new Float64Array(9))).toThrow(/rmatvec/);
    expect(() => f.matvec(new Float64Array(3))).toThrow(ShapeError);
  });

  it('rejects malformed input with typed errors', () => {
    expect(() => CsrMatrix.fromTriplets([2, 2], [0, 2], [0, 0], [1, 1])).toThrow(ValueError);
    expect(() => CsrMatrix.fromTriplets([2, 2], [0], [0, 1], [1])).toThrow(ShapeError);
    expect(
      () =>
        new CsrMatrix([2, 2], {
          indptr: Int32Array.of(0, 2, 1),
          indices: Int32Array.of(0),
          data: Float64Array.of(1),
        }),
    ).toThrow(ValueError);
    expect(() => csr.add(sparseEye(3))).toThrow(ShapeError);
    expect(() => spmv(csr, array([1, 2]))).toThrow(/first axis must be 9/);
    expect(() => csr.withData([1, 2])).toThrow(ShapeError);
  });

  it('rejects an `out` vector of the wrong length in every format instead of dropping writes', () => {
    // a Float64Array ignores out-of-range writes, so an unchecked short `out` silently loses entries of y
    const x9 = new Float64Array(9).fill(1);
    const x13 = new Float64Array(13).fill(1);
    const coo = new CooMatrix(
      [13, 9],
      Int32Array.from(rows),
      Int32Array.from(cols),
      Float64Array.from(vals),
    );
    for (const m of [coo, csr, csr.toCsc()]) {
      expect(() => m.matvec(x9, new Float64Array(12))).toThrow(ShapeError);
      expect(() => m.rmatvec(x13, new Float64Array(8))).toThrow(ShapeError);
      const y = m.matvec(x9, new Float64Array(13));
      const yt = m.rmatvec(x13, new Float64Array(9));
      const rowSums = new Float64Array(13);
      const colSums = new Float64Array(9);
      rows.forEach((r, k) => {
        rowSums[r]! += vals[k]!;
        colSums[cols[k]!]! += vals[k]!;
      });
      for (let i = 0; i < 13; i++) expect(y[i]).toBeCloseTo(rowSums[i]!, 12);
      for (let j = 0; j < 9; j++) expect(yt[j]).toBeCloseTo(colSums[j]!, 12);
    }
  });
});
