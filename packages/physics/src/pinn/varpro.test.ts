import { checkGrads } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  ValueError,
  add,
  cos,
  exp,
  fromTypedArray,
  mean,
  mul,
  sin,
  square,
  sub,
} from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { type Derivatives, dirichletBC, hardDirichlet, interval, trainPinn } from '../index.js';
import { derivativesAt } from './derivatives.js';
import { column, pointsArray } from './geometry.js';
import { projectLinearCoefficients } from './varpro.js';

// Manufactured solution u = sin(πx)·e^{−t} of u_t + λ₁ u u_x − λ₂ u_xx = f with λ = (1.3, 0.05):
// f = −u + λ₁ π sin(πx) cos(πx) e^{−2t} + λ₂ π² u.
const L1 = 1.3;
const L2 = 0.05;
const exact = (x: NDArray) => mul(sin(mul(Math.PI, column(x, 0))), exp(mul(-1, column(x, 1))));
const forcing = (x: NDArray) => {
  const s = sin(mul(Math.PI, column(x, 0)));
  const u = mul(s, exp(mul(-1, column(x, 1))));
  const uux = mul(
    mul(Math.PI, mul(s, cos(mul(Math.PI, column(x, 0))))),
    exp(mul(-2, column(x, 1))),
  );
  return add(sub(mul(L2 * Math.PI ** 2, u), u), mul(L1, uux));
};
const burgers = (D: Derivatives, v: Readonly<Record<string, NDArray>>) =>
  sub(
    sub(add(D.d(1), mul(v.lambda1!, mul(D.u, D.d(0)))), mul(v.lambda2!, D.d(0, 0))),
    forcing(D.x),
  );

function scattered(n: number, seed: number): NDArray {
  const rng = new Generator(seed);
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    data[2 * i] = 2 * rng.nextFloat() - 1;
    data[2 * i + 1] = rng.nextFloat();
  }
  return fromTypedArray(data, [n, 2]);
}

describe('projectLinearCoefficients (variable projection)', () => {
  it('recovers λ of a manufactured solution exactly when the field is exact', () => {
    const D = derivativesAt(exact, scattered(200, 0));
    const p = projectLinearCoefficients((l) => burgers(D, l), ['lambda1', 'lambda2']);
    const l1 = p.coefficients.lambda1!.item() as number;
    const l2 = p.coefficients.lambda2!.item() as number;
    expect(Math.abs(l1 - L1)).toBeLessThan(1e-10);
    expect(Math.abs(l2 - L2) / L2).toBeLessThan(1e-8);
    expect(Math.max(...Array.from(p.residual.dataSync(), Math.abs))).toBeLessThan(1e-10);
  });

  it('gives the normal-equation solution of a generic field (checked against a 2 × 2 solve by hand)', () => {
    const net = sequential(linear(8), tanh, linear(1));
    const params = net.init(new Generator(3), [2]);
    const field = (x: NDArray) => net.apply(params, x).y;
    const D = derivativesAt(field, scattered(64, 1));
    const p = projectLinearCoefficients((l) => burgers(D, l), ['lambda1', 'lambda2']);
    const u = D.u.dataSync();
    const ux = D.d(0).dataSync();
    const uxx = D.d(0, 0).dataSync();
    const r0 = sub(D.d(1), forcing(D.x)).dataSync();
    // [a₁ a₂] λ ≈ −r₀ with a₁ = u u_x, a₂ = −u_xx, by Cramer's rule on the normal equations
    let g11 = 0;
    let g12 = 0;
    let g22 = 0;
    let b1 = 0;
    let b2 = 0;
    u.forEach((ui, i) => {
      const a1 = ui * ux[i]!;
      const a2 = -uxx[i]!;
      g11 += a1 * a1;
      g12 += a1 * a2;
      g22 += a2 * a2;
      b1 -= a1 * r0[i]!;
      b2 -= a2 * r0[i]!;
    });
    const det = g11 * g22 - g12 * g12;
    const l1 = (b1 * g22 - b2 * g12) / det;
    const l2 = (g11 * b2 - g12 * b1) / det;
    expect(p.coefficients.lambda1!.item() as number).toBeCloseTo(l1, 9);
    expect(p.coefficients.lambda2!.item() as number).toBeCloseTo(l2, 9);
  });

  it('gives the exact gradient of the projected loss without differentiating the solve (finite differences)', () => {
    const net = sequential(linear(6), tanh, linear(1));
    const params = net.init(new Generator(5), [2]);
    const pts = scattered(40, 2);
    // L(θ) = mean r(θ, λ*(θ))²: by the envelope theorem its total derivative is ∂L/∂θ at λ*, which is what
    // the stopped-gradient λ* gives; the finite differences see λ* move with θ
    const loss = (p: typeof params) => {
      const D = derivativesAt((x) => net.apply(p, x).y, pts);
      return mean(
        square(projectLinearCoefficients((l) => burgers(D, l), ['lambda1', 'lambda2']).residual),
      );
    };
    const report = checkGrads(loss, [params], { modes: ['rev'], eps: 1e-6, rtol: 1e-6 });
    expect(report.ok).toBe(true);
    expect(report.maxRelError).toBeLessThan(1e-6);
  });

  it('rejects an empty list of names', () => {
    expect(() => projectLinearCoefficients((l) => l.a!, [])).toThrow(ValueError);
  });
});

describe("trainPinn with variables solved by 'leastSquares'", () => {
  it('reports λ* of the final network (exact field: λ to 1e-8)', () => {
    const net = sequential(linear(4), tanh, linear(1));
    const res = trainPinn({
      net,
      params: net.init(new Generator(0), [2]),
      pde: { residual: burgers, points: scattered(100, 3) },
      // the network's output is multiplied by 0: û is the manufactured solution whatever θ is
      transform: (x, y) => add(exact(x), mul(0, y)),
      variables: { lambda1: { solve: 'leastSquares' }, lambda2: { solve: 'leastSquares' } },
      adam: { steps: 0 },
      lbfgs: { maxIter: 0 },
    });
    expect(Math.abs(res.variables.lambda1! - L1)).toBeLessThan(1e-8);
    expect(Math.abs(res.variables.lambda2! - L2) / L2).toBeLessThan(1e-8);
    expect(res.history.at(-1)!.variables).toEqual(res.variables);
    expect(res.loss).toBeLessThan(1e-20);
  });

  it('identifies a diffusion coefficient from observations, beside a trained variable', () => {
    // −λ u″ = κ π² sin(πx) with λ = 2, κ = 1: u = sin(πx)/2 observed at 8 points; λ solved, κ trained.
    // The data weight matters here: (u, λ) → (c·u, λ/c) leaves the residual's zero set unchanged, and with
    // a weight of 1 Adam drifts to u ≈ 0, λ → ∞ before the data can anchor the amplitude
    const g = interval(0, 1);
    const obs = pointsArray(
      Array.from({ length: 8 }, (_, i) => [(i + 0.5) / 8]),
      1,
    );
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    const logs: number[] = [];
    const res = trainPinn({
      net,
      params: net.init(new Generator(1), [1]),
      pde: {
        residual: (D, v) =>
          add(mul(v.lambda!, D.d(0, 0)), mul(mul(v.kappa!, Math.PI ** 2), sin(mul(Math.PI, D.x)))),
        points: g.sampleInterior(32, { sampler: 'uniform' }),
      },
      transform: hardDirichlet(g.boundaryDistance),
      conditions: [
        dirichletBC(obs, (x) => mul(0.5, sin(mul(Math.PI, x))), { name: 'data', weight: 100 }),
        // κ is pinned by its own condition (κ = 1), so the problem is identifiable
        {
          name: 'kappa',
          residual: (_u, v) => sub(v.kappa!, fromTypedArray(new Float64Array([1]), [1])),
        },
      ],
      variables: { lambda: { solve: 'leastSquares' }, kappa: 0.5 },
      adam: { steps: 200, lr: 1e-2 },
      lbfgs: { maxIter: 200 },
      onLog: (r) => logs.push(r.variables!.lambda!),
    });
    console.log(
      `inverse λ (solved) = ${res.variables.lambda} (true 2), κ = ${res.variables.kappa}`,
    );
    expect(logs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(res.variables.lambda! - 2)).toBeLessThan(2e-3);
    expect(Math.abs(res.variables.kappa! - 1)).toBeLessThan(2e-3);
  });

  it('rejects a residual that is not linear in a solved coefficient, and an unknown solve method', () => {
    const net = sequential(linear(4), tanh, linear(1));
    const base = {
      net,
      params: net.init(new Generator(0), [2]),
      adam: { steps: 0 },
      lbfgs: { maxIter: 0 },
    };
    expect(() =>
      trainPinn({
        ...base,
        pde: {
          residual: (D, v) => sub(D.d(1), mul(square(v.nu!), D.d(0, 0))),
          points: scattered(10, 4),
        },
        variables: { nu: { solve: 'leastSquares' } },
      }),
    ).toThrow(/must enter the PDE residual linearly/);
    expect(() =>
      trainPinn({
        ...base,
        pde: { residual: (D, v) => sub(D.d(1), mul(v.nu!, D.d(0, 0))), points: scattered(10, 4) },
        variables: { nu: { solve: 'newton' as 'leastSquares' } },
      }),
    ).toThrow(/solve must be 'leastSquares'/);
  });
});
