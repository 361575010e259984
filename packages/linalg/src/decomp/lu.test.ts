import { LuDecomposition, Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ShapeError, SingularMatrixError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { det, inv, lu, luFactor, luSolve, slogdet, solve } from './lu.js';
import {
  dense,
  frob,
  generalZoo,
  identity,
  matmul,
  randomMatrix,
  scaledResidual,
  toRows,
} from './test-utils/zoo.js';

const nd = (a: { data: Float64Array; rows: number; cols: number }) =>
  fromTypedArray(a.data.slice(), [a.rows, a.cols]);

describe('lu', () => {
  it.each(generalZoo())('$name: ‖A − P L U‖ / (‖A‖ max(m,n) ε) ≤ 30, |L| ≤ 1', ({ a }) => {
    const { P, L, U } = lu(nd(a));
    const k = Math.min(a.rows, a.cols);
    expect(P.shape).toEqual([a.rows, a.rows]);
    expect(L.shape).toEqual([a.rows, k]);
    expect(U.shape).toEqual([k, a.cols]);
    const plu = matmul(dense(P), matmul(dense(L), dense(U)));
    expect(scaledResidual(a, plu.data)).toBeLessThanOrEqual(30);
    for (const v of L.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('blocked path (≥ 128): square, tall and wide residual ≤ 30, |L| ≤ 1', () => {
    for (const a of [
      randomMatrix(200, 200, 21),
      randomMatrix(200, 150, 22),
      randomMatrix(150, 200, 23),
    ]) {
      const { P, L, U } = lu(nd(a));
      expect(
        scaledResidual(a, matmul(dense(P), matmul(dense(L), dense(U))).data),
      ).toBeLessThanOrEqual(30);
      for (const v of L.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
  });

  it('packs like LAPACK and agrees with ml-matrix', () => {
    const a = randomMatrix(30, 30, 5);
    const { lu: packed, perm } = luFactor(nd(a));
    const ref = new LuDecomposition(new Matrix(toRows(a)));
    expect(Array.from(perm.dataSync())).toEqual(ref.pivotPermutationVector);
    const theirs = (ref as unknown as { LU: Matrix }).LU.to1DArray();
    const ours = packed.dataSync();
    expect(frob(Float64Array.from(ours, (v, i) => v - theirs[i]!)) / frob(ours)).toBeLessThan(
      1e-12,
    );
  });

  it('batches over leading axes', () => {
    const { P, L, U } = lu(
      array([
        [
          [0, 1],
          [1, 0],
        ],
        [
          [2, 1],
          [4, 1],
        ],
      ]),
    );
    expect(P.toNested()).toEqual([
      [
        [0, 1],
        [1, 0],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ]);
    expect(L.toNested()).toEqual([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 0],
        [0.5, 1],
      ],
    ]);
    expect(U.toNested()).toEqual([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [4, 1],
        [0, 0.5],
      ],
    ]);
  });
});

describe('solve / inv / det / slogdet', () => {
  it.each([10, 60, 200])('solve n=%i: backward error ‖Ax − b‖/(‖A‖‖x‖ n ε) ≤ 30', (n) => {
    const a = randomMatrix(n, n, n);
    const b = randomMatrix(n, 2, n + 1);
    const x = dense(solve(nd(a), nd(b)));
    const r = matmul(a, x);
    const err =
      frob(r.data.map((v, i) => v - b.data[i]!)) /
      (frob(a.data) * frob(x.data) * n * Number.EPSILON);
    expect(err).toBeLessThanOrEqual(30);
  });

  it('solves the closed-form 2×2 and vector right-hand sides, batched', () => {
    expect(
      solve(
        array([
          [3, 1],
          [1, 2],
        ]),
        array([9, 8]),
      ).toNested(),
    ).toEqual([2, 3]);
    const xs = solve(
      array([
        [
          [3, 1],
          [1, 2],
        ],
        [
          [2, 0],
          [0, 4],
        ],
      ]),
      array([[9], [8]]),
    );
    expect(xs.toNested()).toEqual([
      [[2], [3]],
      [[4.5], [2]],
    ]);
    const f = luFactor(
      array([
        [3, 1],
        [1, 2],
      ]),
    );
    expect(luSolve(f, array([9, 8])).toNested()).toEqual([2, 3]);
  });

  it('inv agrees with ml-matrix and A·inv(A) ≈ I on the ill-conditioned zoo entry to κ ε', () => {
    const a = randomMatrix(20, 20, 3);
    const ours = inv(nd(a)).dataSync();
    const theirs = inverse(new Matrix(toRows(a))).to1DArray();
    expect(frob(Float64Array.from(ours, (v, i) => v - theirs[i]!)) / frob(ours)).toBeLessThan(
      1e-11,
    );
    const ill = generalZoo(16)[1]!.a;
    const prodIll = matmul(ill, dense(inv(nd(ill))));
    expect(frob(prodIll.data.map((v, i) => v - identity(16).data[i]!))).toBeLessThan(
      1e12 * 16 * 16 * Number.EPSILON,
    );
  });

  it('det and slogdet: closed forms, sign of permutations, agreement with each other', () => {
    expect(
      det(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBeCloseTo(-2, 14);
    expect(
      det(
        array([
          [0, 1],
          [1, 0],
        ]),
      ).item(),
    ).toBe(-1);
    expect(
      Math.abs(
        det(
          array([
            [1, 2],
            [2, 4],
          ]),
        ).item(),
      ),
    ).toBe(0);
    const { sign, logabsdet } = slogdet(
      array([
        [
          [2, 0],
          [0, 3],
        ],
        [
          [0, 2],
          [3, 0],
        ],
      ]),
    );
    expect(sign.toNested()).toEqual([1, -1]);
    expect(logabsdet.get(0)).toBeCloseTo(Math.log(6), 14);
    // 200×200 matrix scaled by 1e3: det overflows to ±Infinity but slogdet is exact
    const big = randomMatrix(120, 120, 8);
    const s = slogdet(nd({ ...big, data: big.data.map((v) => v * 1e3) }));
    const s1 = slogdet(nd(big));
    expect(s.logabsdet.item()).toBeCloseTo(s1.logabsdet.item() + 120 * Math.log(1e3), 9);
    expect(s.sign.item()).toBe(s1.sign.item());
    const sing = slogdet(
      array([
        [1, 2],
        [2, 4],
      ]),
    );
    expect(Math.abs(sing.sign.item())).toBe(0);
    expect(sing.logabsdet.item()).toBe(Number.NEGATIVE_INFINITY);
  });

  it('singular systems throw SingularMatrixError, never NaN; bad shapes throw ShapeError', () => {
    expect(() =>
      solve(
        array([
          [1, 2],
          [2, 4],
        ]),
        array([1, 1]),
      ),
    ).toThrow(SingularMatrixError);
    expect(() =>
      solve(
        array([
          [1, 2],
          [2, 4],
        ]),
        array([1, 1]),
      ),
    ).toThrow(/^solve:/);
    expect(() =>
      inv(
        array([
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toThrow(SingularMatrixError);
    expect(() => solve(array([[1, 2, 3]]), array([1]))).toThrow(ShapeError);
    expect(() =>
      solve(
        array([
          [1, 0],
          [0, 1],
        ]),
        array([1, 2, 3]),
      ),
    ).toThrow(ShapeError);
  });
});
