import { checkGrads, grad } from '@sciml/autodiff';
import {
  ConvergenceError,
  type NDArray,
  add,
  array,
  fromTypedArray,
  mul,
  square,
  sum,
} from '@sciml/linalg';
import { LinearOperator, sparseDiags, spmv } from '@sciml/linalg/sparse';
import { describe, expect, it } from 'vitest';
import { linearSolve } from './linear-solve.js';

const n = 12;
/** 1-D Dirichlet Laplacian tridiag(−1, 2, −1), SPD. */
const L = sparseDiags([-1, 2, -1], [-1, 0, 1], [n, n]);
/** First-order upwind difference, so L + c·D is a nonsymmetric convection–diffusion matrix. */
const D = sparseDiags([-1, 1], [-1, 0], [n, n]);
const b = fromTypedArray(Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i) + 0.5));
const theta = fromTypedArray(Float64Array.from({ length: n }, (_, i) => 0.3 + 0.1 * (i % 4)));
const weights = fromTypedArray(Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1)));

describe('linearSolve: implicit differentiation through Krylov solves', () => {
  it('solves (L + diag θ) x = b to the requested tolerance', () => {
    const x = linearSolve((v, t: NDArray) => add(spmv(L, v), mul(t, v)), b, theta);
    const r = add(spmv(L, x), mul(theta, x)).dataSync() as Float64Array;
    const bd = b.dataSync() as Float64Array;
    for (let i = 0; i < n; i++) expect(r[i]).toBeCloseTo(bd[i]!, 9);
  });

  it('CG: gradients in θ and b match central differences (checkGrads, reverse mode)', () => {
    const f = (t: NDArray, rhs: NDArray) =>
      sum(mul(weights, square(linearSolve((v, q: NDArray) => add(spmv(L, v), mul(q, v)), rhs, t))));
    const report = checkGrads(f, [theta, b], { modes: ['rev'], rtol: 1e-6 });
    expect(report.ok).toBe(true);
    expect(report.maxRelError).toBeLessThan(1e-6);
  });

  it('GMRES on a nonsymmetric convection–diffusion A(c) = L + c·D: gradients match central differences', () => {
    const c = array([1.5]);
    const matvec = (v: NDArray, q: NDArray) => add(spmv(L, v), mul(q, spmv(D, v)));
    const f = (q: NDArray, rhs: NDArray) =>
      sum(mul(weights, linearSolve(matvec, rhs, q, { method: 'gmres' })));
    const report = checkGrads(f, [c, b], { modes: ['rev'], rtol: 1e-6 });
    expect(report.ok).toBe(true);
  });

  it('the adjoint solve is a transposed solve: ∂(wᵀx)/∂b = A⁻ᵀ w', () => {
    const c = array([2]);
    const matvec = (v: NDArray, q: NDArray) => add(spmv(L, v), mul(q, spmv(D, v)));
    const g = grad((rhs: NDArray) =>
      sum(mul(weights, linearSolve(matvec, rhs, c, { method: 'bicgstab' }))),
    )(b);
    // independent check with the dense A = L + 2D: Aᵀ g = w
    const direct = L.add(D, 2).toDense().dataSync() as Float64Array;
    const gd = g.dataSync() as Float64Array;
    const w = weights.dataSync() as Float64Array;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += direct[j * n + i]! * gd[j]!;
      expect(s).toBeCloseTo(w[i]!, 8);
    }
  });

  it('stored values of a sparse matrix and a differentiable LinearOperator as parameters', () => {
    const values = fromTypedArray(L.data.slice().map((v, k) => v + 0.01 * k));
    // perturbing one stored value breaks the symmetry, so the solve and its adjoint use GMRES
    const f = (vals: NDArray) =>
      sum(
        mul(
          weights,
          linearSolve((v, q: NDArray) => spmv(L, v, { values: q }), b, vals, { method: 'gmres' }),
        ),
      );
    expect(checkGrads(f, [values], { modes: ['rev'], rtol: 1e-6 }).ok).toBe(true);

    // the operator's action is an NDArray function closing over θ: spmv differentiates through it
    const op = (t: NDArray) =>
      LinearOperator.fromFunction([n, n], (v) => add(spmv(L, v), mul(t, v)));
    const g = (t: NDArray) => sum(mul(weights, spmv(op(t), b)));
    expect(checkGrads(g, [theta], { modes: ['rev', 'fwd'] }).ok).toBe(true);
    const h = (t: NDArray) => sum(square(linearSolve((v, q: NDArray) => spmv(op(q), v), b, t)));
    expect(checkGrads(h, [theta], { modes: ['rev'], rtol: 1e-6 }).ok).toBe(true);
  });

  it('non-convergence is a ConvergenceError, bad input a typed error', () => {
    const matvec = (v: NDArray, t: NDArray) => add(spmv(L, v), mul(t, v));
    expect(() => linearSolve(matvec, b, theta, { maxIter: 2 })).toThrow(ConvergenceError);
    expect(() => linearSolve(matvec, array([[1, 2]]), theta)).toThrow(/linearSolve/);
    expect(() => linearSolve(matvec, b, theta, { method: 'lu' as 'cg' })).toThrow(/method/);
  });
});
