import { describe, expect, it } from 'vitest';
import { ConvergenceError, ShapeError } from '../../core/errors.js';
import { eigh } from '../../decomp/eigh.js';
import { fromTypedArray } from '../../ops/creation.js';
import { Generator } from '../../random/generator.js';
import { aslinearoperator } from '../operator.js';
import { eigsh } from './eigsh.js';
import { laplace1d, poisson2d } from './test-problems.js';

/** The smallest / largest k of the closed-form spectrum, ascending. */
const ends = (all: number[], k: number, which: 'SA' | 'LA') => {
  const s = [...all].sort((a, b) => a - b);
  return which === 'SA' ? s.slice(0, k) : s.slice(-k);
};

/** max_i ‖A y_i − θ_i y_i‖ for the returned pairs, computed with A's own matvec. */
function worstResidual(
  A: ReturnType<typeof laplace1d>,
  values: Float64Array,
  vectors: Float64Array,
  k: number,
): number {
  const n = A.shape[0];
  let worst = 0;
  for (let c = 0; c < k; c++) {
    const y = Float64Array.from({ length: n }, (_, t) => vectors[t * k + c]!);
    const Ay = A.matvec(y);
    let r = 0;
    for (let t = 0; t < n; t++) r += (Ay[t]! - values[c]! * y[t]!) ** 2;
    worst = Math.max(worst, Math.sqrt(r));
  }
  return worst;
}

describe('eigsh against closed-form Laplacian spectra', () => {
  it('1-D Laplacian (n = 200): both ends to 1e-10, with orthonormal eigenvectors', () => {
    const n = 200;
    const A = laplace1d(n);
    const exact = Array.from(
      { length: n },
      (_, j) => 2 - 2 * Math.cos(((j + 1) * Math.PI) / (n + 1)),
    );
    for (const which of ['SA', 'LA'] as const) {
      const res = eigsh(A, { k: 4, which });
      const got = res.values.dataSync() as Float64Array;
      ends(exact, 4, which).forEach((e, i) => {
        expect(Math.abs(got[i]! - e)).toBeLessThan(1e-10);
      });
      const V = res.vectors.dataSync() as Float64Array;
      expect(worstResidual(A, got, V, 4)).toBeLessThan(1e-9);
      for (let p = 0; p < 4; p++) {
        for (let q = 0; q < 4; q++) {
          let s = 0;
          for (let t = 0; t < n; t++) s += V[t * 4 + p]! * V[t * 4 + q]!;
          expect(Math.abs(s - (p === q ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('2-D Laplacian on a 23×17 grid: λ = 4sin²(iπ/48) + 4sin²(jπ/36)', () => {
    const [nx, ny] = [23, 17];
    const A = poisson2d(nx, ny);
    const exact: number[] = [];
    for (let i = 1; i <= nx; i++)
      for (let j = 1; j <= ny; j++)
        exact.push(
          4 * Math.sin((i * Math.PI) / (2 * (nx + 1))) ** 2 +
            4 * Math.sin((j * Math.PI) / (2 * (ny + 1))) ** 2,
        );
    const small = eigsh(A, { k: 3, which: 'SA' });
    ends(exact, 3, 'SA').forEach((e, i) => {
      expect(Math.abs(small.values.dataSync()[i]! - e)).toBeLessThan(1e-9);
    });
    const large = eigsh(A, { k: 3, which: 'LM' });
    ends(exact, 3, 'LA').forEach((e, i) => {
      expect(Math.abs(large.values.dataSync()[i]! - e)).toBeLessThan(1e-9);
    });
  });

  it('agrees with dense eigh on a random symmetric matrix, including both signs for LM', () => {
    const rng = new Generator(11);
    const n = 60;
    const g = rng.normal([n, n]).dataSync() as Float64Array;
    const sym = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) sym[i * n + j] = (g[i * n + j]! + g[j * n + i]!) / 2;
    const M = fromTypedArray(sym, [n, n]);
    const dense = Array.from(eigh(M).values.dataSync());
    const res = eigsh(aslinearoperator(M), { k: 5, which: 'LM', tol: 1e-12 });
    const want = [...dense]
      .sort((a, b) => Math.abs(b) - Math.abs(a))
      .slice(0, 5)
      .sort((a, b) => a - b);
    want.forEach((e, i) => {
      expect(res.values.dataSync()[i]).toBeCloseTo(e, 9);
    });
  });

  it('reports non-convergence and bad arguments with typed errors', () => {
    const A = laplace1d(300);
    expect(() => eigsh(A, { k: 3, which: 'SA', maxRestarts: 1, ncv: 8 })).toThrow(ConvergenceError);
    expect(() => eigsh(A, { k: 0 })).toThrow(/k must be/);
    expect(() => eigsh(A, { v0: [1, 2] })).toThrow(ShapeError);
  });
});
