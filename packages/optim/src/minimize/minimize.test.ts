import { checkGrads, grad, hessian } from '@sciml/autodiff';
import { type NDArray, array, cholesky, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  type TestProblem,
  beale,
  booth,
  brownBadlyScaled,
  extendedPowell,
  rosenbrock,
  wood,
} from '../problems.js';
import { type MinimizeMethod, minimize } from './minimize.js';
import { projectBox, projectL2Ball, projectSimplex } from './projections.js';

const maxAbsErr = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));

function solve(p: TestProblem, method: MinimizeMethod, extra = {}) {
  return minimize(p.f, array(p.x0), { method, jac: p.grad, hess: p.hess, gtol: 1e-6, ...extra });
}

describe('minimize on the Moré–Garbow–Hillstrom problems', () => {
  // iteration bounds: generous envelopes around the counts SciPy reports for the same starts
  const cases: [TestProblem, MinimizeMethod, number, number][] = [
    [rosenbrock(2), 'bfgs', 60, 1e-5],
    [rosenbrock(2), 'lbfgs', 60, 1e-5],
    [rosenbrock(2), 'cg', 200, 1e-5],
    [rosenbrock(2), 'newton', 40, 1e-6],
    [rosenbrock(2), 'sr1', 150, 1e-5],
    [rosenbrock(100), 'lbfgs', 600, 1e-5],
    [rosenbrock(100), 'bfgs', 800, 1e-5],
    [beale(), 'bfgs', 60, 1e-5],
    [beale(), 'lbfgs', 60, 1e-5],
    [beale(), 'newton', 60, 1e-5],
    [booth(), 'bfgs', 10, 1e-6],
    [booth(), 'newton', 3, 1e-9],
    [booth(), 'cg', 20, 1e-6],
    [booth(), 'sr1', 20, 1e-6],
    [extendedPowell(4), 'bfgs', 200, 2e-2],
    [extendedPowell(4), 'lbfgs', 200, 2e-2],
    [extendedPowell(4), 'newton', 100, 2e-2],
  ];

  it.each(cases.map(([p, m, it, tol]) => [p.name, m, p, it, tol] as const))(
    '%s with %s',
    (_n, method, p, maxIt, tol) => {
      const res = solve(p, method);
      expect(res.success, res.message).toBe(true);
      expect(res.nit).toBeLessThanOrEqual(maxIt);
      expect(Math.abs(res.fun - p.fStar)).toBeLessThan(1e-8);
      // Powell's minimiser is singular (quartic valley), so x is only determined to about f^(1/4)
      expect(maxAbsErr(res.x.dataSync(), p.xStar)).toBeLessThan(tol);
      expect(res.nfev).toBeGreaterThanOrEqual(res.nit);
    },
  );

  it('Newton on Rosenbrock-100 from the standard start stops at the known local minimiser near x₁ = −1', () => {
    // the chained Rosenbrock function has a second local minimum (f ≈ 3.9866) with x₁ ≈ −1 (Kok & Sandrock 2009);
    // pure Newton steps from (−1.2, 1, …) land in its basin, as they do in SciPy's Newton-CG
    const p = rosenbrock(100);
    const res = solve(p, 'newton');
    expect(res.success).toBe(true);
    expect(res.x.dataSync()[0]).toBeLessThan(-0.9);
    expect(Math.abs(res.fun - 3.98662385)).toBeLessThan(1e-6);
    const H = p.hess(res.x);
    expect(() => cholesky(H)).not.toThrow();
  });

  it('Newton falls back to a modified Hessian when it is indefinite', () => {
    // at (0, 1) the Rosenbrock Hessian has eigenvalues of both signs: diag entry 1200·0 − 400 + 2 < 0
    const p = rosenbrock(2);
    const res = minimize(p.f, array([0, 1]), { method: 'newton', jac: p.grad, hess: p.hess });
    expect(res.success).toBe(true);
    expect(maxAbsErr(res.x.dataSync(), [1, 1])).toBeLessThan(1e-6);
  });
});

describe('gradient descent on quadratics f = ½ xᵀ diag(λ) x', () => {
  const kappa = 20;
  const lambdas = [1, 4, 9, kappa];
  const f = (x: NDArray) => {
    const v = x.dataSync();
    return lambdas.reduce((s, l, i) => s + 0.5 * l * v[i]! ** 2, 0);
  };
  const grad = (x: NDArray) =>
    fromTypedArray(Float64Array.from(x.dataSync(), (v, i) => lambdas[i]! * v));

  it('converges at the predicted linear rate with η = 1/λmax: error ratio → 1 − 1/κ', () => {
    const errors: number[] = [];
    minimize(f, array([1, 1, 1, 1]), {
      method: 'gd',
      stepSize: 1 / kappa,
      jac: grad,
      gtol: 1e-10,
      callback: (x) => {
        errors.push(Math.hypot(...x));
      },
    });
    const k = 200;
    const observed = errors[k + 1]! / errors[k]!;
    expect(Math.abs(observed - (1 - 1 / kappa))).toBeLessThan(1e-6);
  });

  it('converges just below the threshold η < 2/λmax and diverges just above it', () => {
    const below = minimize(f, array([1, 1, 1, 1]), {
      method: 'gd',
      stepSize: 1.98 / kappa,
      jac: grad,
      maxIter: 3000,
    });
    expect(below.success).toBe(true);
    const above = minimize(f, array([1, 1, 1, 1]), {
      method: 'gd',
      stepSize: 2.02 / kappa,
      jac: grad,
      maxIter: 3000,
    });
    expect(above.success).toBe(false);
    expect(above.message).toMatch(/non-finite|maximum/);
  });
});

describe('projected gradient', () => {
  it('solves a box-constrained quadratic with the active set at the bounds', () => {
    const target = [2, -3, 0.5];
    const f = (x: NDArray) =>
      Array.from(x.dataSync()).reduce((s, v, i) => s + (v - target[i]!) ** 2, 0);
    const g = (x: NDArray) =>
      fromTypedArray(Float64Array.from(x.dataSync(), (v, i) => 2 * (v - target[i]!)));
    const res = minimize(f, array([0, 0, 0]), { project: projectBox(-1, 1), jac: g });
    expect(res.success).toBe(true);
    expect(maxAbsErr(res.x.dataSync(), [1, -1, 0.5])).toBeLessThan(1e-8);
  });

  it('projections onto the simplex and the ℓ2 ball are correct', () => {
    const s = projectSimplex()(Float64Array.from([0.5, 2, -1]));
    expect(maxAbsErr(s, [0, 1, 0])).toBeLessThan(1e-15);
    const s2 = projectSimplex()(Float64Array.from([0.4, 0.3, 0.1]));
    // uniform shift θ = (0.8 − 1)/3
    expect(maxAbsErr(s2, [0.4 + 0.2 / 3, 0.3 + 0.2 / 3, 0.1 + 0.2 / 3])).toBeLessThan(1e-15);
    const b = projectL2Ball(1)(Float64Array.from([3, 4]));
    expect(maxAbsErr(b, [0.6, 0.8])).toBeLessThan(1e-15);
  });
});

describe('problem derivatives', () => {
  it.each(
    [rosenbrock(5), beale(), booth(), extendedPowell(8), wood(), brownBadlyScaled()].map(
      (p) => [p.name, p] as const,
    ),
  )(
    '%s: closed-form gradient and Hessian equal autodiff, which passes checkGrads to order 2',
    (_n, p) => {
      const x = array(p.x0.map((v, i) => v + 0.1 * (i + 1)));
      // Brown's f ≈ 10¹² near x₀: central differences cancel catastrophically there, so only the
      // closed form ↔ autodiff comparison below applies to it
      if (p.name !== 'brown-badly-scaled') checkGrads(p.f, [x], { order: 2 });
      const g = p.grad(x).dataSync();
      const gAd = grad(p.f)(x).dataSync();
      g.forEach((v, i) => {
        expect(Math.abs(v - gAd[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(v)));
      });
      const H = p.hess(x).dataSync();
      const HAd = hessian(p.f)(x).dataSync();
      H.forEach((v, i) => {
        expect(Math.abs(v - HAd[i]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
      });
    },
  );
});

describe('derivatives from autodiff when only f is given', () => {
  it.each(['bfgs', 'lbfgs', 'newton'] as const)('Rosenbrock-2 with %s', (method) => {
    const p = rosenbrock(2);
    const res = minimize(p.f, array(p.x0), { method });
    expect(res.success, res.message).toBe(true);
    expect(maxAbsErr(res.x.dataSync(), [1, 1])).toBeLessThan(1e-5);
  });
});
