import { Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { SingularMatrixError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { gramSchmidt } from './gram-schmidt.js';
import { qr, qrPivoted } from './qr.js';
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
  withSingularValues,
} from './test-utils/zoo.js';

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);

describe('qr (Householder)', () => {
  it.each(generalZoo())(
    '$name: reduced and complete residual ≤ 30, orthogonality ≤ 30, R upper',
    ({ a }) => {
      for (const mode of ['reduced', 'complete'] as const) {
        const { Q, R } = qr(nd(a), { mode });
        const k = mode === 'complete' ? a.rows : Math.min(a.rows, a.cols);
        expect(Q.shape).toEqual([a.rows, k]);
        expect(R.shape).toEqual([k, a.cols]);
        const q = dense(Q);
        const r = dense(R);
        expect(scaledResidual(a, matmul(q, r).data)).toBeLessThanOrEqual(30);
        expect(orthogonality(q)).toBeLessThanOrEqual(30);
        for (let i = 0; i < k; i++)
          for (let j = 0; j < Math.min(i, a.cols); j++) expect(r.data[i * a.cols + j]).toBe(0);
      }
    },
  );

  it('blocked path (≥ 128): 200×150 ill-conditioned and 150×200, residual and orthogonality ≤ 30', () => {
    for (const a of [
      withSingularValues(200, 150, logspace(150, 1e10), 8),
      randomMatrix(150, 200, 9),
    ]) {
      for (const mode of ['reduced', 'complete'] as const) {
        const { Q, R } = qr(nd(a), { mode });
        expect(scaledResidual(a, matmul(dense(Q), dense(R)).data)).toBeLessThanOrEqual(30);
        expect(orthogonality(dense(Q))).toBeLessThanOrEqual(30);
      }
    }
  });

  it('agrees with ml-matrix up to the signs of the rows of R', () => {
    const a = randomMatrix(30, 20, 2);
    const ours = dense(qr(nd(a)).R);
    const theirs = new QrDecomposition(new Matrix(toRows(a))).upperTriangularMatrix.to1DArray();
    let diff = 0;
    for (let i = 0; i < 20; i++) {
      const s = Math.sign(ours.data[i * 20 + i]!) * Math.sign(theirs[i * 20 + i]!);
      for (let j = 0; j < 20; j++)
        diff = Math.max(diff, Math.abs(ours.data[i * 20 + j]! - s * theirs[i * 20 + j]!));
    }
    expect(diff).toBeLessThan(1e-12 * frob(a.data));
  });

  it('closed form, batching and float32', () => {
    const { Q, R } = qr(
      array([
        [3, 1],
        [4, 2],
      ]),
    );
    expect(R.get(0, 0)).toBeCloseTo(-5, 14);
    expect(R.get(0, 1)).toBeCloseTo(-11 / 5, 14);
    expect(Math.abs(R.get(1, 1))).toBeCloseTo(2 / 5, 14);
    expect(Q.get(0, 0)).toBeCloseTo(-3 / 5, 14);
    const batch = qr(
      array(
        [
          [
            [1, 0],
            [0, 1],
            [0, 0],
          ],
          [
            [2, 0],
            [0, 3],
            [0, 0],
          ],
        ],
        { dtype: 'float32' },
      ),
    );
    expect(batch.Q.shape).toEqual([2, 3, 2]);
    expect(batch.R.dtype).toBe('float32');
    expect(Math.abs(batch.R.get(1, 1, 1))).toBe(3);
  });
});

describe('qrPivoted', () => {
  it('reveals the numerical rank, |rᵢᵢ| decreasing, A[:, perm] = Q R', () => {
    const a = matmul(randomMatrix(30, 7, 1), randomMatrix(7, 20, 2));
    const { Q, R, perm, rank } = qrPivoted(nd(a));
    expect(rank).toBe(7);
    const r = dense(R);
    for (let i = 1; i < 20; i++)
      expect(Math.abs(r.data[i * 20 + i]!)).toBeLessThanOrEqual(
        Math.abs(r.data[(i - 1) * 20 + i - 1]!) * (1 + 1e-12),
      );
    const p = perm.dataSync();
    const ap = { data: new Float64Array(600), rows: 30, cols: 20 };
    for (let i = 0; i < 30; i++)
      for (let j = 0; j < 20; j++) ap.data[i * 20 + j] = a.data[i * 20 + p[j]!]!;
    expect(scaledResidual(ap, matmul(dense(Q), r).data)).toBeLessThanOrEqual(30);
    expect(qrPivoted(nd(randomMatrix(12, 12, 3))).rank).toBe(12);
    expect(
      qrPivoted(
        array([
          [0, 0],
          [0, 0],
        ]),
      ).rank,
    ).toBe(0);
  });
});

describe('gramSchmidt', () => {
  it('classical loses orthogonality like κ²ε, modified like κε, Householder keeps ε', () => {
    const a = nd(withSingularValues(40, 12, logspace(12, 1e6), 4));
    const loss = (q: Dense) => orthogonality(q) * 12 * Number.EPSILON;
    const cgs = loss(dense(gramSchmidt(a, { method: 'classical' }).Q));
    const mgs = loss(dense(gramSchmidt(a, { method: 'modified' }).Q));
    const hh = loss(dense(qr(a).Q));
    expect(cgs).toBeGreaterThan(1e-6);
    expect(mgs).toBeLessThan(1e-8);
    expect(mgs).toBeGreaterThan(1e-13);
    expect(hh).toBeLessThan(1e-13);
    for (const method of ['classical', 'modified'] as const) {
      const { Q, R } = gramSchmidt(a, { method });
      expect(scaledResidual(dense(a), matmul(dense(Q), dense(R)).data)).toBeLessThanOrEqual(30);
    }
  });

  it('dependent columns throw SingularMatrixError', () => {
    expect(() =>
      gramSchmidt(
        array([
          [1, 2],
          [2, 4],
          [3, 6],
        ]),
        { method: 'classical' },
      ),
    ).toThrow(SingularMatrixError);
  });
});
