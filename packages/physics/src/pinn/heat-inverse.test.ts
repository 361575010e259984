import { Generator, ValueError, add, mul, sin, sub } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import {
  type PinnVariable,
  dirichletBC,
  hardDirichlet,
  interval,
  timeSpace,
  trainPinn,
} from '../index.js';
import { column, pointsArray } from './geometry.js';

/** Series solution of u_t = u_xx on [0, 1], u(0, t) = u(1, t) = 0, u(x, 0) = x(1 − x). */
function heatSeries(x: number, t: number): number {
  let s = 0;
  for (let n = 1; n < 200; n += 2)
    s += (8 / (n * Math.PI) ** 3) * Math.sin(n * Math.PI * x) * Math.exp(-((n * Math.PI) ** 2) * t);
  return s;
}

describe('heat equation PINN', () => {
  it('matches the Fourier series solution', () => {
    const domain = timeSpace(interval(0, 1), 0, 0.25);
    const points = domain.sampleInterior(128);
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    const u0 = (x: ReturnType<typeof pointsArray>) => mul(column(x, 0), sub(1, column(x, 0)));
    const res = trainPinn({
      net,
      params: net.init(new Generator(0), [2]),
      // u_t − u_xx, with time the last coordinate
      pde: { residual: (D) => sub(D.d(1), D.d(0, 0)), points },
      // û = u₀(x) + t·x(1 − x)·N: the initial and boundary data hold exactly
      transform: hardDirichlet(domain.boundaryDistance, u0),
      adam: { steps: 200, lr: 1e-2 },
      lbfgs: { maxIter: 200 },
    });
    const grid: number[][] = [];
    for (let i = 0; i <= 20; i++) for (let j = 0; j <= 5; j++) grid.push([i / 20, (0.25 * j) / 5]);
    const pred = res.predict(pointsArray(grid, 2)).dataSync();
    let num = 0;
    let den = 0;
    grid.forEach(([x, t], k) => {
      const ref = heatSeries(x!, t!);
      num += (pred[k]! - ref) ** 2;
      den += ref * ref;
    });
    const err = Math.sqrt(num / den);
    console.log(
      `heat PINN rel L2 vs series: ${err.toExponential(2)} (${res.quasiNewtonIterations} L-BFGS its)`,
    );
    expect(err).toBeLessThan(1e-2);
  });
});

describe('inverse problem', () => {
  it('identifies a diffusion coefficient from observations', () => {
    // −λ u″ = π² sin(πx) with λ = 2: u = sin(πx)/2, observed at 8 points
    const g = interval(0, 1);
    const obs = pointsArray(
      Array.from({ length: 8 }, (_, i) => [(i + 0.5) / 8]),
      1,
    );
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    const res = trainPinn({
      net,
      params: net.init(new Generator(1), [1]),
      pde: {
        residual: (D, v) =>
          add(mul(v.lambda!, D.d(0, 0)), mul(Math.PI ** 2, sin(mul(Math.PI, D.x)))),
        points: g.sampleInterior(32, { sampler: 'uniform' }),
      },
      transform: hardDirichlet(g.boundaryDistance),
      conditions: [dirichletBC(obs, (x) => mul(0.5, sin(mul(Math.PI, x))), { name: 'data' })],
      variables: { lambda: 1 },
      adam: { steps: 200, lr: 1e-2 },
      lbfgs: { maxIter: 200 },
    });
    console.log(`inverse λ = ${res.variables.lambda} (true 2)`);
    expect(Math.abs(res.variables.lambda! - 2)).toBeLessThan(2e-3);
  });

  // the same problem with the coefficient trained in log space and in a scaled linear one: the residual
  // sees λ itself, the result and the history report λ, and each parametrisation lands within 0.25 % of λ = 2
  const inverse = (lambda: number | PinnVariable) => {
    const g = interval(0, 1);
    const obs = pointsArray(
      Array.from({ length: 8 }, (_, i) => [(i + 0.5) / 8]),
      1,
    );
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    return trainPinn({
      net,
      params: net.init(new Generator(1), [1]),
      pde: {
        residual: (D, v) =>
          add(mul(v.lambda!, D.d(0, 0)), mul(Math.PI ** 2, sin(mul(Math.PI, D.x)))),
        points: g.sampleInterior(32, { sampler: 'uniform' }),
      },
      transform: hardDirichlet(g.boundaryDistance),
      conditions: [dirichletBC(obs, (x) => mul(0.5, sin(mul(Math.PI, x))), { name: 'data' })],
      variables: { lambda },
      adam: { steps: 200, lr: 1e-2 },
      lbfgs: { maxIter: 200 },
      logEvery: 50,
    });
  };

  it('trains a coefficient in log space or scaled, reporting λ itself', () => {
    for (const spec of [
      { initial: 1, parametrization: 'log' as const },
      { initial: 1, scale: 10 },
    ]) {
      const res = inverse(spec);
      const first = res.history[0]!.variables!.lambda!;
      console.log(`inverse λ (${JSON.stringify(spec)}) = ${res.variables.lambda} (true 2)`);
      // the first record is the initial value, not log(1) = 0 or 1/10
      expect(first).toBeCloseTo(1, 12);
      expect(res.history.at(-1)!.variables!.lambda).toBe(res.variables.lambda);
      // measured |λ − 2| = 5.7e-4 (log) and 2.7e-3 (scale 10)
      expect(Math.abs(res.variables.lambda! - 2)).toBeLessThan(5e-3);
    }
  });

  it('rejects a malformed coefficient', () => {
    expect(() => inverse({ initial: -1, parametrization: 'log' })).toThrow(ValueError);
    expect(() => inverse({ initial: 1, scale: 0 })).toThrow(/non-zero scale/);
    expect(() => inverse(Number.NaN)).toThrow(ValueError);
    expect(() => inverse({ initial: 1, parametrization: 'sqrt' as unknown as 'log' })).toThrow(
      /'linear' or 'log'/,
    );
  });
});
