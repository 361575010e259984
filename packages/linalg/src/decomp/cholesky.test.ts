import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { SingularMatrixError, ValueError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { choSolve, cholesky } from './cholesky.js';
import {
  dense,
  frob,
  matmul,
  randomMatrix,
  scaledResidual,
  spdZoo,
  toRows,
  transpose,
} from './test-utils/zoo.js';

describe('cholesky', () => {
  it.each(spdZoo())(
    '$name: ‖A − L Lᵀ‖ / (‖A‖ n ε) ≤ 30, L lower with positive diagonal',
    ({ a }) => {
      const L = dense(cholesky(fromTypedArray(a.data.slice(), [a.rows, a.cols])));
      expect(scaledResidual(a, matmul(L, transpose(L)).data)).toBeLessThanOrEqual(30);
      for (let i = 0; i < a.rows; i++) {
        expect(L.data[i * a.rows + i]).toBeGreaterThan(0);
        for (let j = i + 1; j < a.rows; j++) expect(L.data[i * a.rows + j]).toBe(0);
      }
    },
  );

  it('agrees with ml-matrix and with the closed form of a 2×2', () => {
    expect(
      cholesky(
        array([
          [4, 2],
          [2, 3],
        ]),
      ).toNested(),
    ).toEqual([
      [2, 0],
      [1, Math.SQRT2],
    ]);
    const a = spdZoo(30)[0]!.a;
    const ours = dense(cholesky(fromTypedArray(a.data.slice(), [30, 30])));
    const theirs = new CholeskyDecomposition(
      new Matrix(toRows(a)),
    ).lowerTriangularMatrix.to1DArray();
    expect(frob(ours.data.map((v, i) => v - theirs[i]!)) / frob(ours.data)).toBeLessThan(1e-13);
  });

  it('upper option returns R = Lᵀ', () => {
    const a = array([
      [4, 2],
      [2, 3],
    ]);
    expect(cholesky(a, { upper: true }).toNested()).toEqual([
      [2, 1],
      [0, Math.SQRT2],
    ]);
  });

  it('batches over leading axes and rounds float32 outputs', () => {
    const a = array(
      [
        [
          [4, 2],
          [2, 3],
        ],
        [
          [9, 3],
          [3, 5],
        ],
      ],
      { dtype: 'float32' },
    );
    const L = cholesky(a);
    expect(L.dtype).toBe('float32');
    expect(L.shape).toEqual([2, 2, 2]);
    expect(L.get(1, 0, 0)).toBe(3);
    expect(L.get(1, 1, 0)).toBe(1);
    expect(L.get(1, 1, 1)).toBeCloseTo(2, 6);
  });

  it('indefinite, semidefinite and non-symmetric inputs throw typed errors, never NaN', () => {
    expect(() =>
      cholesky(
        array([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(SingularMatrixError);
    expect(() =>
      cholesky(
        array([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(/not positive definite.*order 2/);
    expect(() =>
      cholesky(
        array([
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toThrow(SingularMatrixError);
    expect(() => cholesky(array([[-1]]))).toThrow(/order 1/);
    expect(() =>
      cholesky(
        array([
          [2, 1],
          [0, 2],
        ]),
      ),
    ).toThrow(ValueError);
    expect(() =>
      cholesky(
        array([
          [1, Number.NaN],
          [Number.NaN, 1],
        ]),
      ),
    ).toThrow(/NaN/);
  });

  it('choSolve solves A x = b to backward error ≤ 30 n ε', () => {
    const a = spdZoo(20)[0]!.a;
    const b = randomMatrix(20, 3, 9);
    const L = cholesky(fromTypedArray(a.data.slice(), [20, 20]));
    const x = dense(choSolve(L, fromTypedArray(b.data.slice(), [20, 3])));
    const r = matmul(a, x);
    const backward =
      frob(r.data.map((v, i) => v - b.data[i]!)) /
      (frob(a.data) * frob(x.data) * 20 * Number.EPSILON);
    expect(backward).toBeLessThanOrEqual(30);
    const xv = choSolve(
      L,
      fromTypedArray(
        b.data.filter((_, i) => i % 3 === 0),
        [20],
      ),
    );
    expect(xv.shape).toEqual([20]);
    expect(xv.get(4)).toBeCloseTo(x.data[12]!, 12);
  });
});
