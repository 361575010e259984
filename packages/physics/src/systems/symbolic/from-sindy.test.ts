import { ValueError } from '@sciml/linalg';
import { beforeAll, describe, expect, it } from 'vitest';
import { inlineKernelOf } from '../../integrate/inline-kernels.js';
import { solveIVP } from '../../integrate/solve-ivp.js';
import { customLibrary } from '../../sindy/library/custom.js';
import { polynomialLibrary } from '../../sindy/library/polynomial.js';
import { stlsq } from '../../sindy/optimizers/stlsq.js';
import { SINDy } from '../../sindy/sindy.js';
import { Lorenz63 } from '../lorenz63.js';
import { sampleTrajectory } from '../system.js';
import { termExpression } from './from-sindy.js';

const DT = 0.002;
let model: SINDy;

beforeAll(() => {
  // exact derivatives: Ξ is recovered to ~1e-9, so the identified system is Lorenz's up to that
  const data = sampleTrajectory(new Lorenz63(), {
    dt: DT,
    samples: 2000,
    transient: 1,
    y0: [-8, 8, 27],
  });
  model = new SINDy({
    library: polynomialLibrary({ degree: 2 }),
    optimizer: stlsq({ threshold: 0.1 }),
  }).fit(data.x, { t: DT, xDot: data.dxdt, featureNames: ['x', 'y', 'z'] });
});

describe('termExpression', () => {
  it('reads library term names as expressions (juxtaposition is a product)', () => {
    expect(termExpression('x y')).toBe('x*y');
    expect(termExpression('x^2 z')).toBe('x^2*z');
    expect(termExpression('sin(1 x)')).toBe('sin(1*x)');
    expect(termExpression('1')).toBe('1');
  });
});

describe('SINDy.toSystem', () => {
  it('compiles the identified Lorenz model: same rhs as the model, loops with f written in', () => {
    const system = model.toSystem({ name: 'identified Lorenz', initialState: [-8, 8, 27] });
    expect(system.name).toBe('identified Lorenz');
    expect(system.stateNames).toEqual(['x', 'y', 'z']);
    expect(model.complexity).toBe(7); // σ(y − x): 2 terms, x(ρ − z) − y: 3, xy − βz: 2
    expect(inlineKernelOf(system.rhs, 'RK4')).toBeTypeOf('function');
    const ours = new Float64Array(3);
    for (const y of [Float64Array.of(1, 2, 3), Float64Array.of(-8.5, 4, 30)]) {
      system.rhs(0, y, ours);
      const want = model.rhs(y);
      for (let i = 0; i < 3; i++) expect(ours[i]).toBeCloseTo(want[i]!, 10);
    }
    // its Jacobian is Lorenz's to the accuracy of the identified coefficients
    const J = new Float64Array(9);
    const Jtrue = new Float64Array(9);
    system.jacobian(0, Float64Array.of(1, 2, 3), J);
    new Lorenz63().jacobian(0, Float64Array.of(1, 2, 3), Jtrue);
    for (let k = 0; k < 9; k++) expect(Math.abs(J[k]! - Jtrue[k]!)).toBeLessThan(1e-6);
  });

  it('simulates as the model does and as the true Lorenz system does (RK4, t ∈ [0, 1])', () => {
    const system = model.toSystem();
    const y0 = [-8, 8, 27];
    const opts = { method: 'RK4' as const, dt: 0.001, tEval: [1] };
    const compiled = solveIVP(system.rhs, [0, 1], y0, opts);
    const viaModel = solveIVP(model.odeRhs(), [0, 1], y0, opts);
    const truth = solveIVP(new Lorenz63().rhs, [0, 1], y0, opts);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(compiled.y.get(i, 0) - viaModel.y.get(i, 0))).toBeLessThan(1e-9);
      expect(Math.abs(compiled.y.get(i, 0) - truth.y.get(i, 0))).toBeLessThan(1e-5);
    }
  });

  it('refuses a library whose names are not its formulas, and an unfitted model', () => {
    const data = sampleTrajectory(new Lorenz63(), { dt: DT, samples: 400, y0: [-8, 8, 27] });
    const liar = customLibrary([{ fn: (a: number) => a * a, name: (a: string) => `exp(${a})` }], {
      includeBias: true,
    });
    const bad = new SINDy({ library: liar, optimizer: stlsq({ threshold: 1e-6 }) }).fit(data.x, {
      t: DT,
      xDot: data.dxdt,
    });
    expect(() => bad.toSystem()).toThrow(/names do not describe what it computes/);
    expect(() => new SINDy().toSystem()).toThrow(ValueError);
  });
});
