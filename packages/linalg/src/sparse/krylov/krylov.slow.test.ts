// Slow tier (pnpm test:slow): the 2-D Poisson problem at 10⁶ unknowns, where the fast tier stops at 10⁴.
import { describe, expect, it } from 'vitest';
import { cg } from './cg.js';
import { ilu0 } from './preconditioners.js';
import { poisson2d } from './test-problems.js';

describe('CG on the 1000×1000 Poisson problem (10⁶ unknowns)', () => {
  it('ILU(0)-preconditioned CG reaches rtol 1e-6 with fewer iterations than plain CG', () => {
    const A = poisson2d(1000);
    const n = A.shape[0];
    const b = A.matvec(
      Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000) + Math.cos(i % 1000)),
    );
    const pre = cg(A, b, { rtol: 1e-6, M: ilu0(A), maxIter: 5000 });
    expect(pre.converged, pre.message).toBe(true);
    // the true residual, recomputed here from A
    const r = A.matvec(pre.x.dataSync() as Float64Array);
    let rr = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      rr += (b[i]! - r[i]!) ** 2;
      bb += b[i]! ** 2;
    }
    expect(Math.sqrt(rr / bb)).toBeLessThanOrEqual(1e-6);
    const plain = cg(A, b, { rtol: 1e-6, maxIter: pre.iterations });
    expect(plain.converged).toBe(false); // plain CG needs more than ILU(0)-CG's count
  });
});
