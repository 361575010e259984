import { Matrix, pseudoInverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ConvergenceError, NotFiniteError, ShapeError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { lstsq } from './lstsq.js';
import { cond, matrixNorm } from './norms.js';
import { pinv } from './pinv.js';
import { inverseIteration, powerIteration } from './power-iteration.js';
import { randomizedSvd } from './randomized-svd.js';
import {
  columnSpace,
  crFactorization,
  leftNullSpace,
  matrixRank,
  nullSpace,
  rowSpace,
} from './rank-spaces.js';
import {
  type Dense,
  dense,
  frob,
  generalZoo,
  logspace,
  matmul,
  orthogonality,
  randomMatrix,
  scale,
  scaledResidual,
  toRows,
  transpose,
  withSingularValues,
} from './test-utils/zoo.js';

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);
const diffNorm = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  frob(Float64Array.from(x, (v, i) => v - y[i]!));

describe('pinv', () => {
  // the well-conditioned or exactly rank-deficient members (the conditions' errors grow like κ(A) otherwise)
  it.each(generalZoo().filter((c) => !c.name.includes('ill') && c.name !== 'graded'))(
    '$name: the four Moore–Penrose conditions',
    ({ a }) => {
      const x = dense(pinv(nd(a)));
      const ax = matmul(a, x);
      const xa = matmul(x, a);
      const tolA = 30 * Math.max(a.rows, a.cols) * Number.EPSILON;
      expect(scaledResidual(a, matmul(ax, a).data)).toBeLessThanOrEqual(30 * 10);
      if (frob(x.data) > 0)
        expect(diffNorm(matmul(xa, x).data, x.data) / frob(x.data)).toBeLessThan(tolA * 100);
      expect(diffNorm(ax.data, transpose(ax).data)).toBeLessThan(
        tolA * 10 * Math.max(1, frob(ax.data)),
      );
      expect(diffNorm(xa.data, transpose(xa).data)).toBeLessThan(
        tolA * 10 * Math.max(1, frob(xa.data)),
      );
    },
  );

  it('agrees with ml-matrix', () => {
    const a = randomMatrix(12, 7, 3);
    const ours = pinv(nd(a)).dataSync();
    const theirs = pseudoInverse(new Matrix(toRows(a))).to1DArray();
    expect(diffNorm(ours, theirs) / frob(ours)).toBeLessThan(1e-12);
  });
});

describe('lstsq', () => {
  it('closed form: straight-line fit', () => {
    const { x, residuals, rank } = lstsq(
      array([
        [1, 0],
        [1, 1],
        [1, 2],
      ]),
      array([1, 3, 4]),
    );
    expect(x.get(0)).toBeCloseTo(7 / 6, 14);
    expect(x.get(1)).toBeCloseTo(3 / 2, 14);
    expect(rank).toBe(2);
    expect(residuals.item()).toBeCloseTo(1 / 6, 14);
  });

  it('full column rank: SVD and QR paths agree, normal equations hold', () => {
    const a = randomMatrix(40, 10, 1);
    const b = randomMatrix(40, 2, 2);
    const xs = lstsq(nd(a), nd(b)).x.dataSync();
    const xq = lstsq(nd(a), nd(b), { method: 'qr' }).x.dataSync();
    expect(diffNorm(xs, xq) / frob(xs)).toBeLessThan(1e-12);
    const r = matmul(a, { data: Float64Array.from(xs), rows: 10, cols: 2 });
    const g = matmul(transpose(a), {
      data: r.data.map((v, i) => b.data[i]! - v),
      rows: 40,
      cols: 2,
    });
    expect(frob(g.data) / (frob(a.data) ** 2 * frob(xs))).toBeLessThan(1e-13);
  });

  it('rank-deficient and wide: SVD path gives the minimum-norm solution pinv(A) b; QR path a basic solution', () => {
    const a = matmul(randomMatrix(20, 4, 3), randomMatrix(4, 12, 4));
    const b = randomMatrix(20, 1, 5);
    const res = lstsq(nd(a), nd(b));
    expect(res.rank).toBe(4);
    const ref = matmul(dense(pinv(nd(a))), b);
    expect(diffNorm(res.x.dataSync(), ref.data) / frob(ref.data)).toBeLessThan(1e-10);
    const basic = lstsq(nd(a), nd(b), { method: 'qr' });
    expect(basic.rank).toBe(4);
    expect(Array.from(basic.x.dataSync()).filter((v) => v !== 0).length).toBe(4);
    // same residual, larger norm
    expect(basic.residuals.get(0)).toBeCloseTo(res.residuals.get(0), 8);
    expect(frob(basic.x.dataSync())).toBeGreaterThanOrEqual(frob(res.x.dataSync()));
    const wide = randomMatrix(5, 9, 6);
    const bw = randomMatrix(5, 1, 7);
    const xw = lstsq(nd(wide), nd(bw)).x;
    expect(scaledResidual(bw, matmul(wide, dense(xw)).data)).toBeLessThan(30);
  });

  it('bad shapes throw ShapeError', () => {
    expect(() =>
      lstsq(
        array([
          [1, 2],
          [3, 4],
        ]),
        array([1, 2, 3]),
      ),
    ).toThrow(ShapeError);
  });
});

describe('matrixNorm / cond', () => {
  it('closed forms and agreement with the singular values', () => {
    const a = array([
      [1, -2],
      [3, 4],
    ]);
    expect(matrixNorm(a).item()).toBeCloseTo(Math.sqrt(30), 14);
    expect(matrixNorm(a, 1).item()).toBe(6);
    expect(matrixNorm(a, Number.POSITIVE_INFINITY).item()).toBe(7);
    expect(matrixNorm(a, -1).item()).toBe(4);
    const sig = [5, 2, 0.5];
    const m = nd(withSingularValues(6, 3, sig, 1));
    expect(matrixNorm(m, 2).item()).toBeCloseTo(5, 13);
    expect(matrixNorm(m, -2).item()).toBeCloseTo(0.5, 13);
    expect(matrixNorm(m, 'nuc').item()).toBeCloseTo(7.5, 13);
    expect(cond(m).item()).toBeCloseTo(10, 12);
    expect(
      cond(
        array([
          [1, 1],
          [1, 1],
        ]),
        1,
      ).item(),
    ).toBe(Number.POSITIVE_INFINITY);
    expect(
      cond(
        array([
          [2, 0],
          [0, 1],
        ]),
        1,
      ).item(),
    ).toBe(2);
  });

  it('Frobenius norm does not overflow at 1e+150 or underflow at 1e-150', () => {
    const r = randomMatrix(10, 10, 2);
    const ref = frob(r.data);
    expect(matrixNorm(nd(scale(r, 1e200))).item() / (ref * 1e200)).toBeCloseTo(1, 13);
    expect(matrixNorm(nd(scale(r, 1e-200))).item() / (ref * 1e-200)).toBeCloseTo(1, 13);
    expect(
      matrixNorm(
        array([
          [0, 0],
          [0, 0],
        ]),
      ).item(),
    ).toBe(0);
  });

  it('cond of κ = 1e12 construction', () => {
    const a = nd(withSingularValues(20, 20, logspace(20, 1e12), 3));
    expect(cond(a).item() / 1e12).toBeCloseTo(1, 3);
  });
});

describe('rank and subspaces', () => {
  it('rank of the zoo', () => {
    const zoo = Object.fromEntries(generalZoo().map((c) => [c.name, c.a]));
    expect(matrixRank(nd(zoo.random!))).toBe(24);
    expect(matrixRank(nd(zoo['rank-deficient (rank 5)']!))).toBe(5);
    expect(matrixRank(nd(zoo.zero!))).toBe(0);
    expect(matrixRank(nd(zoo['wide 12×40']!))).toBe(12);
    expect(matrixRank(nd(zoo['tiny entries 1e-150']!))).toBe(24);
  });

  it('column/row/null spaces are orthonormal, complementary and annihilated', () => {
    const a = matmul(randomMatrix(15, 6, 1), randomMatrix(6, 10, 2));
    const col = dense(columnSpace(nd(a)));
    const row = dense(rowSpace(nd(a)));
    const nul = dense(nullSpace(nd(a)));
    const lnul = dense(leftNullSpace(nd(a)));
    expect([col.cols, row.cols, nul.cols, lnul.cols]).toEqual([6, 6, 4, 9]);
    for (const q of [col, row, nul, lnul]) expect(orthogonality(q)).toBeLessThanOrEqual(30);
    expect(frob(matmul(a, nul).data) / frob(a.data)).toBeLessThan(1e-14);
    expect(frob(matmul(transpose(lnul), a).data) / frob(a.data)).toBeLessThan(1e-14);
    expect(frob(matmul(transpose(row), nul).data)).toBeLessThan(1e-14);
  });

  it('CR factorisation: C = independent columns, R = rref rows, A = C R', () => {
    const { C, R, columns } = crFactorization(
      array([
        [1, 2, 3, 4],
        [2, 4, 7, 9],
        [3, 6, 10, 13],
      ]),
    );
    expect(columns).toEqual([0, 2]);
    expect(C.toNested()).toEqual([
      [1, 3],
      [2, 7],
      [3, 10],
    ]);
    const r = R.toNested() as number[][];
    expect(r[0]![0]).toBe(1);
    expect(r[1]![2]).toBe(1);
    expect(r[0]![1]).toBeCloseTo(2, 13);
    expect(r[0]![3]).toBeCloseTo(1, 13);
    expect(r[1]![3]).toBeCloseTo(1, 13);
    const a = matmul(randomMatrix(12, 3, 5), randomMatrix(3, 8, 6));
    const cr = crFactorization(nd(a));
    expect(cr.columns).toEqual([0, 1, 2]);
    expect(scaledResidual(a, matmul(dense(cr.C), dense(cr.R)).data)).toBeLessThanOrEqual(30);
    expect(
      crFactorization(
        array([
          [0, 0],
          [0, 0],
        ]),
      ).columns,
    ).toEqual([]);
  });
});

describe('randomizedSvd', () => {
  it('is exact to rounding for a rank-k matrix and reproducible from its seed', () => {
    const a = matmul(randomMatrix(120, 10, 1), randomMatrix(10, 90, 2));
    const { U, S, Vt } = randomizedSvd(nd(a), 10, { rng: 7 });
    const s = S.dataSync();
    const us = dense(U);
    const rec = matmul(
      { data: us.data.map((v, e) => v * s[e % 10]!), rows: 120, cols: 10 },
      dense(Vt),
    );
    expect(diffNorm(rec.data, a.data) / frob(a.data)).toBeLessThan(1e-12);
    expect(orthogonality(us)).toBeLessThanOrEqual(30);
    expect(randomizedSvd(nd(a), 10, { rng: 7 }).S.dataSync()).toEqual(s);
  });

  it('matches the leading singular values of a decaying spectrum', () => {
    const sigma = Array.from({ length: 40 }, (_, i) => 0.5 ** i);
    const a = nd(withSingularValues(60, 40, sigma, 4));
    const s = randomizedSvd(a, 5, { rng: 1 }).S.dataSync();
    for (let i = 0; i < 5; i++) expect(Math.abs(s[i]! - sigma[i]!) / sigma[i]!).toBeLessThan(1e-8);
  });
});

describe('power and inverse iteration', () => {
  const sym = () => {
    const q = withSingularValues(8, 8, [1, 1, 1, 1, 1, 1, 1, 1], 3);
    const lam = [10, 4, 3, 2.5, 2, 1, 0.5, 0.1];
    return {
      q,
      lam,
      a: matmul({ data: q.data.map((v, e) => v * lam[e % 8]!), rows: 8, cols: 8 }, transpose(q)),
    };
  };
  it('power iteration finds the dominant eigenpair', () => {
    const { q, a } = sym();
    const { value, vector } = powerIteration(nd(a), { tol: 1e-12 });
    expect(value).toBeCloseTo(10, 10);
    const v = vector.dataSync();
    let d = 0;
    for (let i = 0; i < 8; i++) d += v[i]! * q.data[i * 8]!;
    expect(Math.abs(d)).toBeCloseTo(1, 10);
  });

  it('inverse iteration finds the eigenvalue nearest the shift, even an exact one', () => {
    const { a } = sym();
    expect(inverseIteration(nd(a), 2.4, { tol: 1e-12 }).value).toBeCloseTo(2.5, 10);
    expect(
      inverseIteration(
        array([
          [2, 0],
          [0, 5],
        ]),
        5,
      ).value,
    ).toBeCloseTo(5, 12);
  });

  it('a rotation (complex eigenvalues) does not converge: ConvergenceError', () => {
    expect(() =>
      powerIteration(
        array([
          [0, -1],
          [1, 0],
        ]),
        { maxIterations: 50 },
      ),
    ).toThrow(ConvergenceError);
  });
});

describe('non-finite input to the CPU-side helpers', () => {
  it('throws NotFiniteError instead of iterating on NaN', () => {
    const bad = array([
      [1, Number.NaN],
      [0, 1],
    ]);
    expect(() => powerIteration(bad)).toThrow(NotFiniteError);
    expect(() => inverseIteration(bad, 0.5)).toThrow(NotFiniteError);
    expect(() => crFactorization(bad)).toThrow(NotFiniteError);
    expect(() => lstsq(bad, array([1, 2]))).toThrow(NotFiniteError);
    expect(() => pinv(bad)).toThrow(NotFiniteError);
  });
});
