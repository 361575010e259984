import { describe, expect, it } from 'vitest';
import { NotFiniteError, ShapeError, SingularMatrixError } from '../core/errors.js';
import { array, fromTypedArray, full } from '../ops/creation.js';
import { Generator } from '../random/index.js';
import { choSolveBanded, choleskyBanded, solvehBanded } from './banded.js';
import { cholesky } from './cholesky.js';
import { solve } from './lu.js';
import { cond } from './norms.js';
import {
  type Dense,
  dense,
  frob,
  gaussian,
  matmul,
  randomMatrix,
  rng,
  scaledResidual,
  transpose,
} from './test-utils/zoo.js';

/**
 * A = B Bᵀ with B lower triangular of bandwidth kd and diagonal in [1, 2]: SPD with bandwidth kd, and
 * not diagonally dominant.
 */
function randomBandSpd(n: number, kd: number, seed: number): Dense {
  const r = rng(seed);
  const g = gaussian(r);
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    b[i * n + i] = 1 + r();
    for (let j = Math.max(0, i - kd); j < i; j++) b[i * n + j] = 0.7 * g();
  }
  const B = { data: b, rows: n, cols: n };
  return matmul(B, transpose(B));
}

/** The (kd + 1) × n band array of a dense symmetric A in LAPACK storage, padding filled with `pad`. */
function toBand(a: Dense, kd: number, lower: boolean, pad = 0): Float64Array {
  const n = a.rows;
  const ab = new Float64Array((kd + 1) * n).fill(pad);
  for (let j = 0; j < n; j++) {
    for (let d = 0; d <= kd && j + d < n; d++) {
      // A[j + d][j] sits at row d (lower) or, as A[j][j + d], at row kd − d of column j + d (upper)
      if (lower) ab[d * n + j] = a.data[(j + d) * n + j]!;
      else ab[(kd - d) * n + j + d] = a.data[(j + d) * n + j]!;
    }
  }
  return ab;
}

/** The dense lower factor L from a band factor in either storage. */
function fromBandFactor(cb: ArrayLike<number>, n: number, kd: number, lower: boolean): Dense {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let d = 0; d <= kd && j + d < n; d++) {
      L[(j + d) * n + j] = lower ? cb[d * n + j]! : cb[(kd - d) * n + j + d]!;
    }
  }
  return { data: L, rows: n, cols: n };
}

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);
const relDiff = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  frob(Float64Array.from(x, (v, i) => v - y[i]!)) / frob(y);

const cases = [1, 2, 5, 50].flatMap((n) =>
  [1, 2].flatMap((kd) => [true, false].map((lower) => ({ n, kd, lower }))),
);

describe('solvehBanded / choleskyBanded / choSolveBanded', () => {
  it.each(cases)(
    'n = $n, kd = $kd, lower = $lower: agrees with dense solve within n·κ(A)·ε',
    ({ n, kd, lower }) => {
      const a = randomBandSpd(n, kd, 10 * n + kd);
      const kappa = cond(nd(a)).dataSync()[0]!;
      // padding filled with NaN: it must never be read
      const ab = fromTypedArray(toBand(a, kd, lower, Number.NaN), [kd + 1, n]);
      const b = randomMatrix(n, 3, n + kd);
      const x = solvehBanded(ab, nd(b), { lower });
      const ref = solve(nd(a), nd(b)).dataSync();
      // both solvers are backward stable, so each is within ~n·κ·ε of the exact solution
      expect(relDiff(x.dataSync(), ref)).toBeLessThan(10 * n * kappa * Number.EPSILON);
      // and the banded one has a small backward error whatever κ is: ‖A x − b‖ ≲ n ε ‖A‖ ‖x‖
      const ax = matmul(a, dense(x));
      expect(frob(Float64Array.from(ax.data, (v, i) => v - b.data[i]!))).toBeLessThan(
        30 * n * Number.EPSILON * frob(a.data) * frob(x.dataSync()),
      );
      // a vector right-hand side gives the first column
      const x0 = solvehBanded(
        ab,
        fromTypedArray(
          Float64Array.from({ length: n }, (_, i) => b.data[i * 3]!),
          [n],
        ),
        { lower },
      );
      expect(x0.shape).toEqual([n]);
      expect(
        relDiff(
          x0.dataSync(),
          Float64Array.from({ length: n }, (_, i) => x.dataSync()[i * 3]!),
        ),
      ).toBeLessThan(4 * Number.EPSILON);
    },
  );

  it.each(cases)(
    'n = $n, kd = $kd, lower = $lower: the factor is the band of the dense Cholesky factor',
    ({ n, kd, lower }) => {
      const a = randomBandSpd(n, kd, 7 * n + kd);
      const cb = choleskyBanded(fromTypedArray(toBand(a, kd, lower), [kd + 1, n]), { lower });
      expect(cb.shape).toEqual([kd + 1, n]);
      const L = fromBandFactor(cb.dataSync(), n, kd, lower);
      expect(scaledResidual(a, matmul(L, transpose(L)).data)).toBeLessThanOrEqual(30);
      const ref = cholesky(nd(a)).dataSync();
      const kappa = cond(nd(a)).dataSync()[0]!;
      expect(relDiff(L.data, ref)).toBeLessThan(10 * n * kappa * Number.EPSILON);
      // padding of the factor is zero
      const c = cb.dataSync();
      for (let d = 1; d <= kd; d++) {
        // lower: row d, the last d columns; upper: row kd − d, the first d columns
        for (let e = 0; e < Math.min(d, n); e++) {
          expect(lower ? c[d * n + n - 1 - e] : c[(kd - d) * n + e]).toBe(0);
        }
      }
      // choSolveBanded with the factor equals solvehBanded
      const b = randomMatrix(n, 2, 3);
      expect(choSolveBanded(cb, nd(b), { lower }).dataSync()).toEqual(
        solvehBanded(fromTypedArray(toBand(a, kd, lower), [kd + 1, n]), nd(b), {
          lower,
        }).dataSync(),
      );
    },
  );

  it("agrees with dense LU on tvRegularized's kind of system (moved from @sciml/physics)", () => {
    // a diagonally dominant (so SPD) pentadiagonal matrix from its diagonal and two subdiagonals
    const n = 12;
    const gen = new Generator(3);
    const d1 = Float64Array.from({ length: n - 1 }, () => gen.nextNormal());
    const d2 = Float64Array.from({ length: n - 2 }, () => gen.nextNormal());
    const d0 = Float64Array.from({ length: n }, () => 6 + gen.nextFloat());
    const A = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        const k = Math.abs(i - j);
        const lo = Math.min(i, j);
        return k === 0 ? d0[i]! : k === 1 ? d1[lo]! : k === 2 ? d2[lo]! : 0;
      }),
    );
    const b = Float64Array.from({ length: n }, () => gen.nextNormal());
    const ref = solve(array(A), array(Array.from(b))).dataSync();
    const ab = new Float64Array(3 * n);
    ab.set(d0);
    ab.set(d1, n);
    ab.set(d2, 2 * n);
    const x = solvehBanded(fromTypedArray(ab, [3, n]), fromTypedArray(b), { lower: true });
    x.dataSync().forEach((v, i) => {
      expect(v).toBeCloseTo(ref[i]!, 12);
    });
  });

  it('solves the documented Poisson example in closed form', () => {
    // −u″ = 1 on (0, 1), u(0) = u(1) = 0, h = 1/5: second differences are exact for u = x(1 − x)/2
    const u = solvehBanded(
      array([
        [0, -1, -1, -1],
        [2, 2, 2, 2],
      ]),
      full([4], 1 / 25),
    ).dataSync();
    for (const [i, v] of [0.08, 0.12, 0.12, 0.08].entries()) expect(u[i]).toBeCloseTo(v, 14);
    const lowerForm = solvehBanded(
      array([
        [2, 2, 2, 2],
        [-1, -1, -1, 0],
      ]),
      full([4], 1 / 25),
      { lower: true },
    ).dataSync();
    expect(Array.from(lowerForm)).toEqual(Array.from(u));
  });

  it('rejects matrices that are not positive definite with SingularMatrixError', () => {
    // [[1, 2], [2, 1]] has eigenvalues 3 and −1
    expect(() =>
      solvehBanded(
        array([
          [1, 1],
          [2, 0],
        ]),
        array([1, 1]),
        { lower: true },
      ),
    ).toThrow(SingularMatrixError);
    // tridiag(−1, 1.5, −1): the k×k leading minor has smallest eigenvalue 1.5 − 2 cos(π/(k + 1)),
    // positive for k = 3 (0.086), negative for k = 4 (−0.118): pivots 1.5, 5/6, 0.3, −11/6
    const indefinite = array([
      [1.5, 1.5, 1.5, 1.5, 1.5],
      [-1, -1, -1, -1, 0],
    ]);
    expect(() => choleskyBanded(indefinite, { lower: true })).toThrow(/leading minor of order 4/);
    expect(() => choleskyBanded(array([[-1]]))).toThrow(SingularMatrixError);
    expect(() => choleskyBanded(array([[0, 0, 0]]))).toThrow(SingularMatrixError);
    // a band array that is not a factor (non-positive diagonal)
    expect(() => choSolveBanded(array([[1, -2]]), array([1, 1]))).toThrow(SingularMatrixError);
  });

  it('rejects bad shapes and non-finite input', () => {
    expect(() => choleskyBanded(array([1, 2, 3]))).toThrow(ShapeError);
    expect(() => solvehBanded(array([[2, 2, 2]]), array([1, 1]))).toThrow(ShapeError);
    expect(() => solvehBanded(array([[2, 2]]), array([[[1]], [[1]]]))).toThrow(ShapeError);
    expect(() => choleskyBanded(array([[2, Number.NaN]]))).toThrow(NotFiniteError);
    expect(() => solvehBanded(array([[2, 2]]), array([1, Number.POSITIVE_INFINITY]))).toThrow(
      NotFiniteError,
    );
  });

  it('keeps a float32 input float32', () => {
    const x = solvehBanded(
      array(
        [
          [0, -1],
          [2, 2],
        ],
        { dtype: 'float32' },
      ),
      array([1, 1], { dtype: 'float32' }),
    );
    expect(x.dtype).toBe('float32');
    expect(Array.from(x.dataSync())).toEqual([1, 1]);
  });
});
