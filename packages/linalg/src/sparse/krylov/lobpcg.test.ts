import { describe, expect, it } from 'vitest';
import { ConvergenceError, ShapeError, ValueError } from '../../core/errors.js';
import { eigh } from '../../decomp/eigh.js';
import { fromTypedArray } from '../../ops/creation.js';
import { sparseDiags, sparseEye, sparseKron } from '../construct.js';
import { LinearOperator } from '../operator.js';
import { lobpcg } from './lobpcg.js';
import { ilu0, jacobi } from './preconditioners.js';

/** Dirichlet 2-D Laplacian on an nx×ny grid (5-point stencil, h = 1) and its eigenvalues, ascending. */
function laplacian2d(nx: number, ny: number) {
  const Tx = sparseDiags([-1, 2, -1], [-1, 0, 1], [nx, nx]);
  const Ty = sparseDiags([-1, 2, -1], [-1, 0, 1], [ny, ny]);
  const A = sparseKron(sparseEye(ny), Tx).add(sparseKron(Ty, sparseEye(nx)));
  const exact: number[] = [];
  for (let i = 1; i <= nx; i++)
    for (let j = 1; j <= ny; j++)
      exact.push(
        4 * Math.sin((i * Math.PI) / (2 * (nx + 1))) ** 2 +
          4 * Math.sin((j * Math.PI) / (2 * (ny + 1))) ** 2,
      );
  return { A, exact: exact.sort((p, q) => p - q) };
}

function column(V: Float64Array, n: number, k: number, j: number): Float64Array {
  return Float64Array.from({ length: n }, (_, t) => V[t * k + j]!);
}

describe('lobpcg', () => {
  // 30×23 grid: distinct eigenvalues at the low end (nx ≠ ny avoids the square's symmetric degeneracy)
  const { A, exact } = laplacian2d(30, 23);
  const n = A.shape[0];

  it('4 smallest eigenpairs of the 2-D Laplacian: closed form 4sin²(iπ/2(nx+1)) + 4sin²(jπ/2(ny+1)) and eigh', () => {
    const k = 4;
    const r = lobpcg(A, { k, tol: 1e-9, M: ilu0(A) });
    const values = r.values.dataSync() as Float64Array;
    // the dense reference on a smaller grid keeps the test fast; the closed form covers this one
    const small = laplacian2d(14, 11);
    const rs = lobpcg(small.A, { k, tol: 1e-9, M: ilu0(small.A) });
    const dense = eigh(small.A.toDense()).values.dataSync() as Float64Array;
    const vs = rs.values.dataSync() as Float64Array;
    for (let j = 0; j < k; j++) {
      expect(Math.abs(vs[j]! - dense[j]!)).toBeLessThan(1e-10);
      expect(Math.abs(dense[j]! - small.exact[j]!)).toBeLessThan(1e-12);
    }
    for (let j = 0; j < k; j++) {
      // residual tol·λmax ≈ 1e-9·0.3 bounds the eigenvalue error by its square over the gap (≪ 1e-12)
      expect(Math.abs(values[j]! - exact[j]!)).toBeLessThan(1e-10);
    }
    const V = r.vectors.dataSync() as Float64Array;
    for (let j = 0; j < k; j++) {
      const v = column(V, n, k, j);
      const Av = A.matvec(v);
      let res = 0;
      for (let t = 0; t < n; t++) res += (Av[t]! - values[j]! * v[t]!) ** 2;
      expect(Math.sqrt(res)).toBeLessThan(1e-8);
      for (let i = 0; i <= j; i++) {
        const u = column(V, n, k, i);
        let d = 0;
        for (let t = 0; t < n; t++) d += u[t]! * v[t]!;
        expect(d).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    const res = r.residualNorms.dataSync() as Float64Array;
    expect(Math.max(...res)).toBeLessThan(1e-9 * values[k - 1]!);
  });

  it('the ILU(0) preconditioner cuts the iteration count', () => {
    const plain = lobpcg(A, { k: 3, tol: 1e-8 });
    const pre = lobpcg(A, { k: 3, tol: 1e-8, M: ilu0(A) });
    const pv = plain.values.dataSync() as Float64Array;
    const qv = pre.values.dataSync() as Float64Array;
    for (let j = 0; j < 3; j++) {
      expect(pv[j]).toBeCloseTo(exact[j]!, 9);
      expect(qv[j]).toBeCloseTo(exact[j]!, 9);
    }
    // measured: 190 iterations plain against 45 with ILU(0) (n = 690, κ ≈ 290)
    expect(pre.iterations).toBeLessThan(plain.iterations / 2);
  });

  it("largest eigenpairs ('LA') of a matrix-free operator with a Jacobi preconditioner", () => {
    const op = new LinearOperator([n, n], (x) => A.matvec(x));
    const r = lobpcg(op, { k: 2, which: 'LA', tol: 1e-9, M: jacobi(A) });
    const values = r.values.dataSync() as Float64Array;
    expect(values[0]).toBeCloseTo(exact[n - 2]!, 9);
    expect(values[1]).toBeCloseTo(exact[n - 1]!, 9);
  });

  it('a repeated eigenvalue (square grid) gets its whole eigenspace from a block', () => {
    // on a 20×20 grid λ(1,2) = λ(2,1): a block of 3 finds λ₁ and both copies of λ₂, which a single-vector
    // Lanczos cannot
    const sq = laplacian2d(20, 20);
    const r = lobpcg(sq.A, { k: 3, tol: 1e-9, M: ilu0(sq.A) });
    const values = r.values.dataSync() as Float64Array;
    for (let j = 0; j < 3; j++) expect(values[j]).toBeCloseTo(sq.exact[j]!, 9);
    expect(sq.exact[1]).toBeCloseTo(sq.exact[2]!, 12);
  });

  it('an initial block X, and small problems solved densely', () => {
    const X = fromTypedArray(
      Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i + 1)),
      [n, 2],
    );
    const r = lobpcg(A, { X, tol: 1e-9 });
    expect(r.vectors.shape).toEqual([n, 2]);
    expect((r.values.dataSync() as Float64Array)[1]).toBeCloseTo(exact[1]!, 9);
    const small = laplacian2d(3, 2);
    const s = lobpcg(small.A, { k: 2 });
    expect(Array.from(s.values.dataSync() as Float64Array)).toEqual([
      expect.closeTo(small.exact[0]!, 12),
      expect.closeTo(small.exact[1]!, 12),
    ]);
  });

  it('bad input: typed errors naming lobpcg', () => {
    expect(() => lobpcg(sparseDiags([1], [0], [4, 5]))).toThrow(ShapeError);
    expect(() => lobpcg(A, { k: 0 })).toThrow(ValueError);
    expect(() => lobpcg(A, { which: 'LM' as 'SA' })).toThrow(/lobpcg/);
    expect(() => lobpcg(A, { X: fromTypedArray(new Float64Array(6), [3, 2]) })).toThrow(ShapeError);
    expect(() => lobpcg(A, { M: sparseEye(5) })).toThrow(ShapeError);
    expect(() => lobpcg(A, { k: 2, maxIter: 2 })).toThrow(ConvergenceError);
  });
});
