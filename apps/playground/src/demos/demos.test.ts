import { describe, expect, it } from 'vitest';
import { compress, testImage } from './svd.js';
import { DEMOS, defaults, demoById } from './index.js';
import { discoverLorenz } from './sindy.js';
import { race } from './optimizers.js';
import { sampleMixture } from './langevin.js';
import { compareSolvers } from './solvers.js';
import { trainPoissonPinn } from './pinn.js';
import { compareBackends } from './gpu.js';

// The numbers each page shows, computed in Node and held to the theory the page states.
describe('playground demos', () => {
  it('SINDy recovers σ, ρ, β of Lorenz-63 at 1 % noise and keeps only the seven true terms', () => {
    const f = discoverLorenz(0.01, 42);
    expect(f.sigma).toBeCloseTo(10, 0);
    expect(Math.abs(f.sigma / 10 - 1)).toBeLessThan(0.02);
    expect(Math.abs(f.rho / 28 - 1)).toBeLessThan(0.02);
    expect(Math.abs(f.beta / (8 / 3) - 1)).toBeLessThan(0.02);
    expect(f.nonzero).toBe(7);
  });

  it('optimiser race on Rosenbrock: Newton < BFGS < GD in iterations to f < 1e-8', () => {
    const runs = race(0, 500);
    const iters = (name: string) => {
      const r = runs.find((x) => x.method === name)!;
      return r.f.findIndex((v) => v < 1e-8);
    };
    expect(iters('NEWTON')).toBeGreaterThan(0);
    expect(iters('BFGS')).toBeGreaterThan(iters('NEWTON'));
    // Armijo GD creeps along the valley: not below 1e-8 within 500 iterations
    expect(iters('GD (Armijo)')).toBe(-1);
    for (const r of runs) expect(r.f.every(Number.isFinite)).toBe(true);
  });

  it('SVD compression errors equal Eckart–Young: (Σ_{i>k}σᵢ²)^½ and σ_{k+1}', () => {
    const a = testImage();
    for (const k of [1, 8, 30]) {
      const c = compress(a, k);
      expect(Math.abs(c.relativeError - c.predictedRelativeError)).toBeLessThan(1e-10);
      expect(Math.abs(c.spectralError - c.nextSigma) / c.nextSigma).toBeLessThan(1e-8);
    }
  });

  it('the PINN reaches a relative L2 error below 1e-2 on −u″ = π² sin πx', () => {
    const out = trainPoissonPinn({ width: 16, adamSteps: 200, lbfgsIter: 100, seed: 0 });
    expect(out.l2).toBeLessThan(1e-2);
    expect(out.result.history.length).toBeGreaterThan(5);
  });

  it('Langevin samples match the mixture: mean 0, variance 4.25 per axis, a quarter per quadrant', () => {
    const s = sampleMixture({ chains: 2000, steps: 300, stepSize: 0.02, seed: 7 });
    // standard errors with 2000 samples: mean ±0.05, variance ±0.05·4.25·√2, fraction ±0.01
    for (const m of s.mean) expect(Math.abs(m)).toBeLessThan(0.2);
    for (const v of s.variance) expect(Math.abs(v - 4.25)).toBeLessThan(0.4);
    for (const q of s.quadrant) expect(Math.abs(q - 0.25)).toBeLessThan(0.04);
  });

  it('Van der Pol: RK45 and Rosenbrock23 meet rtol 1e-6; the stiff method needs far fewer steps at μ = 50', () => {
    const runs = compareSolvers(50, 20, 0.01);
    const [rk4, rk45, ros] = runs;
    expect(rk45!.error).toBeLessThan(1e-3);
    expect(ros!.error).toBeLessThan(1e-3);
    expect(ros!.steps * 2).toBeLessThan(rk45!.steps);
    expect(Number.isFinite(rk4!.error)).toBe(true);
  });

  it('the WebGPU page without an adapter says so and computes on the CPU', async () => {
    const r = await compareBackends({ backend: 'webgpu' });
    expect(r.gpu).toBeNull();
    expect(r.adapter).toMatch(/absent/);
    expect(r.cpu.product.length).toBe(256 * 256);
  });

  it('every page has an id, a title, parameters with defaults in range, and a run function', () => {
    expect(new Set(DEMOS.map((d) => d.id)).size).toBe(DEMOS.length);
    for (const d of DEMOS) {
      expect(demoById(d.id)).toBe(d);
      for (const p of d.params) expect(p.value >= p.min && p.value <= p.max).toBe(true);
      expect(Object.keys(defaults(d))).toEqual(d.params.map((p) => p.name));
    }
    expect(() => demoById('nope')).toThrow(/pages: sindy/);
  });
});
