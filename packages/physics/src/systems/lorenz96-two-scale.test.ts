import { Generator, ValueError, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from '../integrate/index.js';
import { TwoScaleLorenz96, lorenz96Tendency } from './lorenz96-two-scale.js';
import { Lorenz96 } from './lorenz96.js';

describe('two-scale Lorenz-96 (Wilks 2005)', () => {
  const sys = new TwoScaleLorenz96();
  const rng = new Generator(9);
  const s = Float64Array.from({ length: sys.dim }, (_, i) => (i < 8 ? 5 : 0.3) * rng.nextNormal());

  it('has K + KJ = 264 variables and its slow tendency is one-scale Lorenz-96 plus the coupling term', () => {
    expect(sys.dim).toBe(264);
    const d = new Float64Array(sys.dim);
    sys.rhs(0, s, d);
    const one = new Lorenz96({ n: 8, forcing: 20 });
    const d1 = new Float64Array(8);
    one.rhs(0, s.subarray(0, 8), d1);
    const c = sys.couplingTerm(s);
    for (let k = 0; k < 8; k++) expect(d[k]).toBeCloseTo(d1[k]! + c[k]!, 12);
  });

  it('has the analytic Jacobian (checked against forward differences)', () => {
    const J = new Float64Array(sys.dim * sys.dim);
    sys.jacobian(0, s, J);
    const f0 = new Float64Array(sys.dim);
    sys.rhs(0, s, f0);
    const ref = new Float64Array(sys.dim * sys.dim);
    finiteDifferenceJacobian(sys.rhs, 0, s, f0, ref);
    let worst = 0;
    for (let e = 0; e < J.length; e++) worst = Math.max(worst, Math.abs(J[e]! - ref[e]!));
    expect(worst).toBeLessThan(1e-4); // forward differences: ~√ε relative
  });

  it('lorenz96Tendency is Lorenz-96 on batches', () => {
    const f = lorenz96Tendency(20);
    const x = fromTypedArray(s.slice(0, 8), [1, 8]);
    const one = new Lorenz96({ n: 8, forcing: 20 });
    const ref = new Float64Array(8);
    one.rhs(0, s.subarray(0, 8), ref);
    const got = f(x).dataSync();
    for (let k = 0; k < 8; k++) expect(got[k]).toBeCloseTo(ref[k]!, 12);
    expect(() => new TwoScaleLorenz96({ k: 3 })).toThrow(ValueError);
  });
});
