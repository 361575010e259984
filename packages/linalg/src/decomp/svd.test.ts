import { Matrix, SVD } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { svd, svdCompact, svdTruncated, svdvals } from './svd.js';
import {
  type Dense,
  dense,
  frob,
  generalZoo,
  logspace,
  matmul,
  orthogonality,
  randomMatrix,
  scaledResidual,
  toRows,
  transpose,
  withSingularValues,
} from './test-utils/zoo.js';

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);

/** U diag(S) Vt for U m×p, S k, Vt q×n (only the first k columns/rows used). */
function reconstruct(U: Dense, S: ArrayLike<number>, Vt: Dense): Dense {
  const k = S.length;
  const us = { data: new Float64Array(U.rows * k), rows: U.rows, cols: k };
  for (let i = 0; i < U.rows; i++)
    for (let j = 0; j < k; j++) us.data[i * k + j] = U.data[i * U.cols + j]! * S[j]!;
  const vk = { data: Vt.data.slice(0, k * Vt.cols), rows: k, cols: Vt.cols };
  return matmul(us, vk);
}

describe('svd', () => {
  it.each(generalZoo())(
    '$name: full and reduced residual ≤ 30, orthogonality ≤ 30, σ descending ≥ 0',
    ({ a }) => {
      for (const fullMatrices of [true, false]) {
        const { U, S, Vt } = svd(nd(a), { fullMatrices });
        const k = Math.min(a.rows, a.cols);
        expect(U.shape).toEqual([a.rows, fullMatrices ? a.rows : k]);
        expect(Vt.shape).toEqual([fullMatrices ? a.cols : k, a.cols]);
        const s = S.dataSync();
        for (let i = 0; i < k; i++) {
          expect(s[i]!).toBeGreaterThanOrEqual(0);
          if (i > 0) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
        }
        const u = dense(U);
        const vt = dense(Vt);
        expect(scaledResidual(a, reconstruct(u, s, vt).data)).toBeLessThanOrEqual(30);
        expect(orthogonality(u)).toBeLessThanOrEqual(30);
        expect(orthogonality(transpose(vt))).toBeLessThanOrEqual(30);
      }
    },
  );

  it('recovers prescribed singular values (κ = 1e12) to ‖A‖ε accuracy and agrees with ml-matrix', () => {
    const sigma = logspace(30, 1e12);
    const a = withSingularValues(40, 30, sigma, 5);
    const s = svdvals(nd(a)).dataSync();
    for (let i = 0; i < 30; i++)
      expect(Math.abs(s[i]! - sigma[i]!)).toBeLessThan(30 * 40 * Number.EPSILON);
    const theirs = new SVD(new Matrix(toRows(a))).diagonal;
    for (let i = 0; i < 30; i++) expect(Math.abs(s[i]! - theirs[i]!)).toBeLessThan(1e-13);
  });

  it('one 200×150 case: residual and orthogonality ≤ 30', () => {
    const a = randomMatrix(200, 150, 7);
    const { U, S, Vt } = svd(nd(a), { fullMatrices: false });
    expect(
      scaledResidual(a, reconstruct(dense(U), S.dataSync(), dense(Vt)).data),
    ).toBeLessThanOrEqual(30);
    expect(orthogonality(dense(U))).toBeLessThanOrEqual(30);
    expect(orthogonality(transpose(dense(Vt)))).toBeLessThanOrEqual(30);
  });

  it('closed forms, batching, float32', () => {
    expect(
      svdvals(
        array([
          [3, 0],
          [0, -2],
        ]),
      ).toNested(),
    ).toEqual([3, 2]);
    expect(
      svdvals(
        array([
          [1, 1],
          [1, 1],
        ]),
      ).get(0),
    ).toBeCloseTo(2, 14);
    const b = svd(
      array(
        [
          [
            [1, 0, 0],
            [0, 2, 0],
          ],
          [
            [0, 0, 5],
            [0, 0, 0],
          ],
        ],
        { dtype: 'float32' },
      ),
      { fullMatrices: false },
    );
    expect(b.S.dtype).toBe('float32');
    expect(b.S.toNested()).toEqual([
      [2, 1],
      [5, 0],
    ]);
    expect(b.U.shape).toEqual([2, 2, 2]);
    expect(b.Vt.shape).toEqual([2, 2, 3]);
  });

  it('compact keeps the numerical rank, truncated keeps k (Eckart–Young error = σ_{k+1})', () => {
    const a = matmul(randomMatrix(30, 4, 1), randomMatrix(4, 20, 2));
    const c = svdCompact(nd(a));
    expect(c.S.shape).toEqual([4]);
    expect(c.U.shape).toEqual([30, 4]);
    expect(c.Vt.shape).toEqual([4, 20]);
    expect(
      scaledResidual(a, reconstruct(dense(c.U), c.S.dataSync(), dense(c.Vt)).data),
    ).toBeLessThanOrEqual(30);
    const r = randomMatrix(25, 20, 3);
    const all = Array.from(svdvals(nd(r)).dataSync());
    const t = svdTruncated(nd(r), 5);
    const approx = reconstruct(dense(t.U), t.S.dataSync(), dense(t.Vt));
    const err = frob(approx.data.map((v, i) => v - r.data[i]!));
    expect(err).toBeCloseTo(Math.sqrt(all.slice(5).reduce((s, x) => s + x * x, 0)), 10);
    expect(() => svdTruncated(nd(r), 21)).toThrow(ValueError);
  });
});
