import { ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { solveIVP } from '../integrate/solve-ivp.js';
import { Duffing } from './duffing.js';
import { Lorenz63 } from './lorenz63.js';
import { Lorenz96 } from './lorenz96.js';
import { LotkaVolterra } from './lotka-volterra.js';
import { DampedPendulum } from './pendulum.js';
import { type DynamicalSystem, sampleTrajectory, simulate } from './system.js';
import { VanDerPol } from './van-der-pol.js';

/** Central-difference Jacobian, an independent check of the analytic ones (error O(h²) ≈ 1e-10). */
function centralJacobian(sys: DynamicalSystem, t: number, y: Float64Array): Float64Array {
  const n = y.length;
  const J = new Float64Array(n * n);
  const fp = new Float64Array(n);
  const fm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = 1e-5 * Math.max(1, Math.abs(y[j]));
    const yp = Float64Array.from(y);
    const ym = Float64Array.from(y);
    yp[j] += h;
    ym[j] -= h;
    sys.rhs(t, yp, fp);
    sys.rhs(t, ym, fm);
    for (let i = 0; i < n; i++) J[i * n + j] = (fp[i] - fm[i]) / (2 * h);
  }
  return J;
}

const systems: DynamicalSystem[] = [
  new Lorenz63(),
  new Lorenz96({ n: 6 }),
  new VanDerPol({ mu: 2.5 }),
  new Duffing(),
  new DampedPendulum(),
  new LotkaVolterra(),
];

describe('dynamical systems', () => {
  it.each(systems.map((s) => [s.name, s] as const))(
    '%s: analytic Jacobian = central differences',
    (_n, sys) => {
      const n = sys.dim;
      const y = Float64Array.from({ length: n }, (_, i) => 0.7 + 0.3 * Math.sin(1.3 * i + 0.5));
      const J = new Float64Array(n * n);
      sys.jacobian(0.37, y, J);
      const ref = centralJacobian(sys, 0.37, y);
      for (let k = 0; k < n * n; k++)
        expect(Math.abs(J[k] - ref[k])).toBeLessThan(1e-7 * Math.max(1, Math.abs(ref[k])));
      expect(sys.initialState().length).toBe(n);
    },
  );

  it('Lorenz-63: the closed-form fixed points are zeros of f; only the origin for ρ ≤ 1', () => {
    const sys = new Lorenz63();
    const pts = sys.fixedPoints();
    expect(pts.length).toBe(3);
    const f = new Float64Array(3);
    for (const p of pts) {
      sys.rhs(0, p, f);
      for (const v of f) expect(Math.abs(v)).toBeLessThan(1e-12);
    }
    expect(pts[1][0]).toBeCloseTo(Math.sqrt(72), 12);
    expect(pts[1][2]).toBe(27);
    expect(new Lorenz63({ rho: 0.5 }).fixedPoints().length).toBe(1);
    expect(() => new Lorenz63({ rho: Number.NaN })).toThrow(ValueError);
    // biome-ignore lint/suspicious/noExplicitAny: a JS caller's typo
    expect(() => new Lorenz63({ rh0: 1 } as any)).toThrow(ValueError);
  });

  it("parameters named after Object.prototype's members are unknown parameters", () => {
    // before: `constructor` passed the `in` check through the prototype and was silently ignored
    for (const k of ['constructor', 'toString', '__proto__'])
      expect(() => new Lorenz63(JSON.parse(`{"${k}": 1}`))).toThrow(/unknown parameter/);
  });

  it('Lorenz-96: xᵢ = F is a fixed point; small rings are rejected', () => {
    const sys = new Lorenz96();
    expect(sys.dim).toBe(40);
    const f = new Float64Array(40);
    sys.rhs(0, sys.fixedPoint(), f);
    for (const v of f) expect(v).toBe(0);
    expect(() => new Lorenz96({ n: 3 })).toThrow(ValueError);
  });

  it('Van der Pol (μ = 1): limit-cycle period 6.6633 and amplitude 2.0086', () => {
    const sys = new VanDerPol();
    const r = simulate(sys, [0, 60], undefined, {
      rtol: 1e-10,
      atol: 1e-12,
      // downward zero crossings of v = x' mark the maxima of x
      events: { g: (_t, y) => y[1], direction: -1 },
    });
    const te = r.tEvents[0];
    const n = te.length;
    expect(n).toBeGreaterThan(5);
    // published: T = 6.6632868593, max |x| = 2.0086198609 (e.g. Hairer–Nørsett–Wanner I, §I.16)
    expect(te[n - 1] - te[n - 2]).toBeCloseTo(6.6632868593, 6);
    expect(r.yEvents[0].get(n - 1, 0)).toBeCloseTo(2.0086198609, 6);
  });

  it('Lotka–Volterra conserves V and has its fixed point at (γ/δ, α/β)', () => {
    const sys = new LotkaVolterra();
    const r = simulate(sys, [0, 20], undefined, { rtol: 1e-10, atol: 1e-12 });
    const V0 = sys.invariant([1, 1]);
    let drift = 0;
    for (let j = 0; j < r.t.length; j++)
      drift = Math.max(drift, Math.abs(sys.invariant([r.y.get(0, j), r.y.get(1, j)]) - V0));
    expect(drift).toBeLessThan(1e-8);
    const f = new Float64Array(2);
    sys.rhs(0, sys.fixedPoint(), f);
    expect(Array.from(f)).toEqual([0, 0]);
    expect(Array.from(sys.fixedPoint())).toEqual([3, 1.5]);
  });

  it('pendulum energy is conserved without damping and decreases with it', () => {
    const free = new DampedPendulum({ damping: 0 });
    const r = simulate(free, [0, 10], undefined, { rtol: 1e-10, atol: 1e-12 });
    const E0 = free.energy([1, 0]);
    for (let j = 0; j < r.t.length; j++)
      expect(free.energy([r.y.get(0, j), r.y.get(1, j)])).toBeCloseTo(E0, 8);
    const damped = new DampedPendulum();
    const d = simulate(damped, [0, 10], undefined, {
      rtol: 1e-10,
      atol: 1e-12,
      tEval: [0, 1, 2, 4, 8],
    });
    const E = [0, 1, 2, 3, 4].map((j) => damped.energy([d.y.get(0, j), d.y.get(1, j)]));
    for (let j = 1; j < E.length; j++) expect(E[j]).toBeLessThan(E[j - 1]);
  });

  it('Duffing without damping or forcing conserves its energy', () => {
    const sys = new Duffing({ delta: 0, gamma: 0 });
    const r = simulate(sys, [0, 20], [0.5, 0.3], { method: 'Tsit5', rtol: 1e-10, atol: 1e-12 });
    const E0 = sys.energy([0.5, 0.3]);
    for (let j = 0; j < r.t.length; j++)
      expect(sys.energy([r.y.get(0, j), r.y.get(1, j)])).toBeCloseTo(E0, 8);
  });

  it('sampleTrajectory returns (m, n) samples after the transient with exact derivatives', () => {
    const sys = new Lorenz63();
    const s = sampleTrajectory(sys, { dt: 0.01, samples: 500, transient: 5 });
    expect(s.x.shape).toEqual([500, 3]);
    expect(s.dxdt.shape).toEqual([500, 3]);
    expect(s.t[0]).toBe(5);
    expect(s.t[499]).toBeCloseTo(9.99, 12);
    // the samples agree with an independent integration from the start
    const ref = solveIVP(sys.rhs, [0, 9.99], [1, 1, 1], {
      rtol: 1e-12,
      atol: 1e-12,
      tEval: [5, 7.5, 9.99],
    });
    expect(s.x.get(0, 0)).toBeCloseTo(ref.y.get(0, 0), 6);
    expect(s.x.get(250, 1)).toBeCloseTo(ref.y.get(1, 1), 5);
    // finite differences of the samples approximate the stored derivatives
    const j = 100;
    const fd = (s.x.get(j + 1, 0) - s.x.get(j - 1, 0)) / 0.02;
    expect(Math.abs(fd - s.dxdt.get(j, 0))).toBeLessThan(0.05 * Math.max(1, Math.abs(fd)));
    expect(() => sampleTrajectory(sys, { dt: 0, samples: 10 })).toThrow(ValueError);
    expect(() => sampleTrajectory(sys, { dt: 0.1, samples: 10, y0: [1, 2] })).toThrow(ValueError);
  });
});
