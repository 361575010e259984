import { describe, expect, it } from 'vitest';
import { ShapeError, SingularMatrixError } from '../../core/errors.js';
import { CsrMatrix } from '../csr.js';
import { LinearOperator } from '../operator.js';
import { bicgstab } from './bicgstab.js';
import { cg } from './cg.js';
import type { KrylovResult } from './common.js';
import { gmres } from './gmres.js';
import { minres } from './minres.js';
import { ilu0, jacobi, ssor } from './preconditioners.js';
import { convectionDiffusion, laplace1d, poisson2d } from './test-problems.js';

/** ‖b − A x‖ / ‖b‖ computed here from A's own matvec, independent of the solver's recurrences. */
function relResidual(
  A: { matvec(x: Float64Array): Float64Array },
  x: KrylovResult['x'],
  b: Float64Array,
): number {
  const ax = A.matvec(x.dataSync() as Float64Array);
  let r = 0;
  let bn = 0;
  for (let i = 0; i < b.length; i++) {
    r += (b[i]! - ax[i]!) ** 2;
    bn += b[i]! ** 2;
  }
  return Math.sqrt(r / bn);
}

/** A smooth exact solution on the grid and its right-hand side b = A x*. */
function manufactured(A: CsrMatrix): { xStar: Float64Array; b: Float64Array } {
  const n = A.shape[0];
  const xStar = Float64Array.from(
    { length: n },
    (_, i) => Math.sin((3 * i) / n) + 0.5 * Math.cos(i),
  );
  return { xStar, b: A.matvec(xStar) };
}

const relError = (x: KrylovResult['x'], xStar: Float64Array) => {
  const v = x.dataSync();
  let e = 0;
  let s = 0;
  for (let i = 0; i < xStar.length; i++) {
    e += (v[i]! - xStar[i]!) ** 2;
    s += xStar[i]! ** 2;
  }
  return Math.sqrt(e / s);
};

describe('CG on the SPD 2-D Poisson problem (100×100 grid, 10⁴ unknowns)', () => {
  const A = poisson2d(100);
  const { xStar, b } = manufactured(A);
  const rtol = 1e-8;
  // κ(A) = λmax/λmin ≈ 8/(2π²/101²) ≈ 4.1e3 bounds the error: ‖x − x*‖/‖x*‖ ≤ κ·rtol
  const kappa = (4 - 4 * Math.cos((100 * Math.PI) / 101)) / (4 - 4 * Math.cos(Math.PI / 101));
  const plain = cg(A, b, { rtol });
  const withSsor = cg(A, b, { rtol, M: ssor(A, { omega: 1.8 }) });
  const withIlu = cg(A, b, { rtol, M: ilu0(A) });

  it('reaches the requested tolerance; the error respects the condition-number bound', () => {
    for (const res of [plain, withSsor, withIlu]) {
      expect(res.converged).toBe(true);
      expect(relResidual(A, res.x, b)).toBeLessThanOrEqual(rtol);
      expect(relError(res.x, xStar)).toBeLessThan(kappa * rtol);
    }
  });

  it('takes O(√κ) iterations, and SSOR / ILU(0) preconditioning cuts them', () => {
    // measured: plain 268, SSOR(ω = 1.8) 44, ILU(0) 87 (√κ ≈ 64); Jacobi = plain here (constant diagonal)
    expect(plain.iterations).toBeLessThan(5 * Math.sqrt(kappa));
    expect(withSsor.iterations).toBeLessThan(plain.iterations / 3);
    expect(withIlu.iterations).toBeLessThan(plain.iterations / 2);
  });

  it('works on a matrix-free operator exactly as on the CSR matrix', () => {
    const op = new LinearOperator(A.shape, (x) => A.matvec(x));
    const res = cg(op, b, { rtol });
    expect(res.iterations).toBe(plain.iterations);
    expect(res.x.dataSync()).toEqual(plain.x.dataSync());
  });
});

describe('Jacobi preconditioning on a badly scaled SPD system', () => {
  // D A D with D spanning four decades: κ explodes, diagonal scaling undoes it
  const A0 = poisson2d(30);
  const n = A0.shape[0];
  const d = Float64Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / n));
  const coo = A0.toCoo();
  const A = CsrMatrix.fromTriplets(
    A0.shape,
    coo.rows,
    coo.cols,
    coo.data.map((v, k) => d[coo.rows[k]!]! * v * d[coo.cols[k]!]!),
  );
  const { b } = manufactured(A);

  it('preconditioned MINRES (SPD M) reaches the true-residual tolerance too', () => {
    const pre = minres(A, b, { rtol: 1e-8, M: jacobi(A) });
    expect(pre.converged, pre.message).toBe(true);
    expect(relResidual(A, pre.x, b)).toBeLessThanOrEqual(1e-8);
    const plain = minres(A, b, { rtol: 1e-8, maxIter: 1000 });
    expect(pre.iterations).toBeLessThan(plain.iterations / 5);
  });

  it('converges in fewer iterations with Jacobi than without (measured 86 vs no convergence in 1000)', () => {
    const plain = cg(A, b, { rtol: 1e-8, maxIter: 1000 });
    const pre = cg(A, b, { rtol: 1e-8, M: jacobi(A) });
    expect(pre.converged).toBe(true);
    expect(relResidual(A, pre.x, b)).toBeLessThanOrEqual(1e-8);
    expect(pre.iterations).toBeLessThan(plain.iterations / 5);
  });
});

describe('nonsymmetric convection–diffusion (60×60 grid, cell Péclet 0.5)', () => {
  const A = convectionDiffusion(60, 0.5);
  const { xStar, b } = manufactured(A);
  const rtol = 1e-8;

  it('GMRES(30) and BiCGSTAB reach the tolerance; ILU(0) reduces their iterations', () => {
    const runs = {
      gmres: gmres(A, b, { rtol, restart: 30 }),
      gmresIlu: gmres(A, b, { rtol, restart: 30, M: ilu0(A) }),
      bicgstab: bicgstab(A, b, { rtol }),
      bicgstabIlu: bicgstab(A, b, { rtol, M: ilu0(A) }),
    };
    for (const res of Object.values(runs)) {
      expect(res.converged).toBe(true);
      expect(relResidual(A, res.x, b)).toBeLessThanOrEqual(rtol);
      expect(relError(res.x, xStar)).toBeLessThan(1e-4);
    }
    // measured: GMRES(30) 339 inner iterations → 30 with ILU(0); BiCGSTAB 99 → 22
    expect(runs.gmresIlu.iterations).toBeLessThan(runs.gmres.iterations / 3);
    expect(runs.bicgstabIlu.iterations).toBeLessThan(runs.bicgstab.iterations / 2);
  });

  it('CG is not for it: pᵀAp stays positive here but the iteration stalls far from the tolerance', () => {
    const res = cg(A, b, { rtol, maxIter: 200 });
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/no convergence|breakdown/);
  });
});

describe('symmetric indefinite systems', () => {
  // shift the 1-D Laplacian into the middle of its spectrum: eigenvalues 2 − 2cos(jπ/(n+1)) − σ of both signs
  const n = 400;
  const sigma = 1.3;
  const A = laplace1d(n).add(
    CsrMatrix.fromTriplets(
      [n, n],
      [...Array(n).keys()],
      [...Array(n).keys()],
      new Array(n).fill(-sigma),
    ),
  );
  const { xStar, b } = manufactured(A);

  it('MINRES solves it to the tolerance; GMRES(n) agrees (measured 401 and 400 iterations)', () => {
    const res = minres(A, b, { rtol: 1e-10 });
    expect(res.converged).toBe(true);
    expect(relResidual(A, res.x, b)).toBeLessThanOrEqual(1e-10);
    // the smallest |eigenvalue| bounds κ: min_j |2 − 2cos(jπ/401) − 1.3|
    let minEig = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= n; j++)
      minEig = Math.min(minEig, Math.abs(2 - 2 * Math.cos((j * Math.PI) / (n + 1)) - sigma));
    expect(relError(res.x, xStar)).toBeLessThan(((4 + sigma) / minEig) * 1e-10);
    const g = gmres(A, b, { rtol: 1e-10, restart: n });
    expect(g.converged).toBe(true);
    // short recurrences cost no more iterations than full GMRES' minimal residual (both optimal in exact arithmetic)
    expect(res.iterations).toBeLessThanOrEqual(g.iterations + 5);
  });

  it('CG stops with a breakdown message instead of a silent wrong answer', () => {
    const res = cg(A, b, { rtol: 1e-10 });
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/breakdown: pᵀAp/);
  });
});

describe('solver input checks', () => {
  it('rejects mismatched shapes, non-finite data and zero diagonals with typed errors', () => {
    const A = laplace1d(5);
    expect(() => cg(A, [1, 2, 3])).toThrow(ShapeError);
    expect(() => gmres(A, [1, 2, 3, 4, Number.NaN])).toThrow(/non-finite/);
    expect(() => cg(CsrMatrix.fromTriplets([2, 3], [0], [0], [1]), [1, 2])).toThrow(ShapeError);
    const zeroDiag = CsrMatrix.fromTriplets([2, 2], [0, 1], [1, 0], [1, 1]);
    expect(() => ilu0(zeroDiag)).toThrow(SingularMatrixError);
    expect(() => jacobi(zeroDiag)).toThrow(SingularMatrixError);
    expect(() => ssor(A, { omega: 2 })).toThrow(/omega/);
    // a short `out` would silently drop the last entries (typed arrays ignore out-of-range writes)
    for (const M of [jacobi(A), ssor(A), ilu0(A)])
      expect(() => M.matvec(new Float64Array(5), new Float64Array(4))).toThrow(ShapeError);
    const res = cg(A, [1, 1, 1, 1, 1], { maxIter: 1 });
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/no convergence in 1 iterations/);
  });
});
