/**
 * Rules of the matrix routines (triangularSolve, cholesky, lu, qr, eigh, svd) and of the public functions
 * built on them (solve, inv, det, slogdet, lstsq, ...), checked against central differences to second
 * order, plus the matrix-calculus identities they implement.
 */
import {
  type NDArray,
  add,
  array,
  cholesky,
  det,
  diag,
  eigh,
  exp,
  eye,
  inv,
  lstsq,
  luFactor,
  matmul,
  mT,
  mul,
  neg,
  qr,
  sin,
  slogdet,
  solve,
  solveTriangular,
  sum,
  svd,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { jvp } from '../transforms/forward.js';
import { grad } from '../transforms/reverse.js';
import { spd, uniform } from '../test-utils/random.js';

const sym = (a: NDArray): NDArray => mul(add(a, mT(a)), 0.5);
/** A matrix with a dominant diagonal: well conditioned, and LU pivots that do not change under small perturbations. */
const wellConditioned = (n: number, seed: number, batch: number[] = []): NDArray =>
  add(uniform([...batch, n, n], -1, 1, seed), mul(eye(n), 4));
/** Triangular test matrices with diagonals away from zero. */
const triangular = (n: number, seed: number, batch: number[] = []): NDArray =>
  add(uniform([...batch, n, n], -0.5, 0.5, seed), mul(eye(n), 2));

const order2 = (f: (...xs: NDArray[]) => unknown, args: NDArray[]): void => {
  const report = checkGrads(f, args, { order: 2 });
  expect(report.maxRelError).toBeLessThan(1e-6);
};

describe('triangularSolve', () => {
  const cases: [string, boolean, boolean, boolean][] = [
    ['lower', true, false, false],
    ['upper', false, false, false],
    ['lower, transposed', true, true, false],
    ['upper, unit diagonal', false, false, true],
  ];
  it.each(cases)('%s', (_name, lower, trans, unitDiagonal) => {
    order2(
      (a, b) => solveTriangular(a, b, { lower, trans, unitDiagonal }),
      [triangular(3, 1), uniform([3, 2], -1, 1, 2)],
    );
  });
  it('broadcasts a batch of matrices against one right-hand side', () => {
    order2((a, b) => solveTriangular(a, b), [triangular(3, 1, [2]), uniform([3, 2], -1, 1, 2)]);
  });
});

describe('cholesky (Murray 2016)', () => {
  it('matches finite differences on symmetric perturbations', () => {
    order2((a) => cholesky(sym(a)), [spd(4, 3)]);
  });
  it('batched', () => {
    order2((a) => cholesky(sym(a)), [spd(3, 4, [2])]);
  });
});

describe('lu and what is built on it', () => {
  it('packed factors', () => order2((a) => luFactor(a).lu, [wellConditioned(4, 5)]));
  it('solve (matrix and vector right-hand sides)', () => {
    order2((a, b) => solve(a, b), [wellConditioned(3, 6), uniform([3, 2], -1, 1, 7)]);
    order2((a, b) => solve(a, b), [wellConditioned(3, 6), uniform([3], -1, 1, 7)]);
  });
  it('solve with a batch of matrices', () =>
    order2((a, b) => solve(a, b), [wellConditioned(3, 8, [2]), uniform([2, 3, 1], -1, 1, 9)]));
  it('inv, det, slogdet', () => {
    const a = wellConditioned(3, 10);
    order2((x) => inv(x), [a]);
    order2((x) => det(x), [a]);
    order2((x) => slogdet(x).logabsdet, [a]);
  });
  it('d(X⁻¹) = −X⁻¹ dX X⁻¹ and ∇det X = det(X) X⁻ᵀ (closed forms)', () => {
    const x = wellConditioned(3, 11);
    const dx = uniform([3, 3], -1, 1, 12);
    const [xi, dxi] = jvp((a: NDArray) => inv(a), [x], [dx]);
    const expected = neg(matmul(matmul(xi, dx), xi));
    expect(maxDiff(dxi, expected)).toBeLessThan(1e-12);
    const g = grad((a: NDArray) => det(a))(x);
    expect(maxDiff(g, mul(det(x), mT(inv(x))))).toBeLessThan(1e-12);
  });
});

describe('qr (reduced, m ≥ n)', () => {
  it('square', () => order2((a) => [qr(a).Q, qr(a).R], [wellConditioned(3, 13)]));
  it('tall 4×3', () => order2((a) => [qr(a).Q, qr(a).R], [uniform([4, 3], -1, 1, 14)]));
});

describe('eigh (distinct eigenvalues)', () => {
  // eigenvectors are defined up to sign: check sign-invariant functions of them, and the eigenvalues
  it('eigenvalues', () => order2((a) => eigh(sym(a)).values, [spd(4, 15)]));
  it('V diag(sin w) Vᵀ and the squared eigenvector entries', () => {
    order2(
      (a) => {
        const { values: w, vectors: v } = eigh(sym(a));
        return [matmul(mul(v, sin(w)), mT(v)), mul(v, v)];
      },
      [spd(4, 16)],
    );
  });
  it('batched', () => order2((a) => eigh(sym(a)).values, [spd(3, 17, [2])]));
});

describe('svd (distinct singular values)', () => {
  const signFree = (a: NDArray): NDArray[] => {
    const { U, S, Vt } = svd(a, { fullMatrices: false });
    return [S, matmul(mul(U, exp(S)), Vt), mul(U, U), mul(Vt, Vt)];
  };
  it('square', () => order2(signFree, [uniform([3, 3], -1, 1, 18)]));
  it('tall 4×2', () => order2(signFree, [uniform([4, 2], -1, 1, 19)]));
  it('wide 2×4', () => order2(signFree, [uniform([2, 4], -1, 1, 20)]));
  it('batched', () =>
    order2((a) => svd(a, { fullMatrices: false }).S, [uniform([2, 3, 2], -1, 1, 21)]));
});

describe('lstsq', () => {
  it('full-column-rank least squares (SVD path)', () => {
    order2((a, b) => lstsq(a, b).x, [uniform([5, 3], -1, 1, 22), uniform([5], -1, 1, 23)]);
  });
  it('gradient of the residual vanishes in x at the solution (normal equations)', () => {
    const a = uniform([5, 3], -1, 1, 24);
    const b = uniform([5], -1, 1, 25);
    const x = lstsq(a, b).x;
    const g = grad((z: NDArray) => {
      const r = add(matmul(a, z), neg(b));
      return sum(mul(r, r));
    })(x);
    expect(maxDiff(g, mul(x, 0))).toBeLessThan(1e-12);
  });
});

describe('diag through scatterAdd/slice', () => {
  it('diag(v) and diag(A)', () => {
    order2((v) => diag(v), [array([1, -2, 3])]);
    order2((a) => diag(a), [uniform([3, 3])]);
  });
});

function maxDiff(a: NDArray, b: NDArray): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}
