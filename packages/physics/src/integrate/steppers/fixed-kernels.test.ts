import { describe, expect, it } from 'vitest';
import { RK4 } from '../methods/rk4.js';
import { Lorenz63 } from '../../systems/lorenz63.js';
import { solveIVP } from '../solve-ivp.js';
import { OWN_KERNEL_MIN_STEPS } from './fixed.js';
import { kernelFor, rk4Steps, sharedKernel } from './fixed-kernels.js';

type Rhs = (t: number, y: Float64Array, d: Float64Array) => void;

/** RK4 from its Butcher tableau (`RK4`): yₙ₊₁ = yₙ + h Σ bᵢ kᵢ, kᵢ = f(t + cᵢh, yₙ + h Σⱼ aᵢⱼ kⱼ). */
function tableauRk4(f: Rhs, y0: number[], t0: number, dt: number, steps: number): Float64Array {
  const n = y0.length;
  const y = Float64Array.from(y0);
  const k = Array.from({ length: RK4.stages }, () => new Float64Array(n));
  const arg = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * dt;
    for (let i = 0; i < RK4.stages; i++) {
      for (let m = 0; m < n; m++) {
        let acc = 0;
        for (let j = 0; j < i; j++) acc += RK4.A[i][j] * k[j][m];
        arg[m] = y[m] + dt * acc;
      }
      f(t + RK4.c[i] * dt, arg, k[i]);
    }
    for (let m = 0; m < n; m++) {
      let acc = 0;
      for (let i = 0; i < RK4.stages; i++) acc += RK4.b[i] * k[i][m];
      y[m] += dt * acc;
    }
  }
  return y;
}

/** Runs a kernel over `steps` grid steps from (0, y0) in chunks of `chunk`, as `FixedStepper.advance` does. */
function runKernel(kernel: typeof rk4Steps, f: Rhs, y0: number[], dt: number, steps: number) {
  const n = y0.length;
  const y = Float64Array.from(y0);
  const k1 = new Float64Array(n);
  const scratch = () => new Float64Array(n);
  const yOld = scratch();
  const fOld = scratch();
  f(0, y, k1);
  for (let i = 0; i < steps; i += 256) {
    const to = Math.min(steps, i + 256);
    kernel(
      f,
      y,
      k1,
      scratch(),
      scratch(),
      scratch(),
      scratch(),
      yOld,
      fOld,
      0,
      dt,
      i,
      to,
      false,
      0,
    );
  }
  return { y, k1, yOld, fOld };
}

describe('fixed-step kernels', () => {
  it('RK4 on Lorenz-63 agrees with the tableau form to 1e-15 relative (200 steps of 0.005)', () => {
    const f = new Lorenz63().rhs;
    const y0 = [1, 1, 1];
    const steps = 200;
    const dt = 0.005;
    const ref = tableauRk4(f, y0, 0, dt, steps);
    for (const kernel of [rk4Steps, kernelFor(f, 'RK4')]) {
      const { y } = runKernel(kernel, f, y0, dt, steps);
      for (let m = 0; m < 3; m++) {
        expect(Math.abs(y[m] - ref[m])).toBeLessThanOrEqual(1e-15 * Math.abs(ref[m]));
      }
    }
  });

  it("a right-hand side's own copy gives the shared loop's bits, and keeps the last step's start", () => {
    const f = new Lorenz63({ rho: 24 }).rhs;
    const y0 = [-3, 2, 20];
    const shared = runKernel(sharedKernel('RK4'), f, y0, 0.01, 1000);
    const own = runKernel(kernelFor(f, 'RK4'), f, y0, 0.01, 1000);
    expect(Array.from(own.y)).toEqual(Array.from(shared.y));
    expect(Array.from(own.k1)).toEqual(Array.from(shared.k1));
    // yOld, fOld: the state and slope one step before the end (the shared loop run for 999 steps)
    const before = runKernel(sharedKernel('RK4'), f, y0, 0.01, 999);
    expect(Array.from(own.yOld)).toEqual(Array.from(before.y));
    expect(Array.from(own.fOld)).toEqual(Array.from(before.k1));
    const euler = runKernel(kernelFor(f, 'Euler'), f, y0, 0.001, 1000);
    expect(Array.from(euler.y)).toEqual(
      Array.from(runKernel(sharedKernel('Euler'), f, y0, 0.001, 1000).y),
    );
  });

  it('solveIVP gives the same bits at off-grid output times through the own and the shared kernel', () => {
    // an in-place f runs through its own kernel; the returning form of the same field through the shared one
    const lorenz = new Lorenz63();
    const steps = 3 * OWN_KERNEL_MIN_STEPS;
    const dt = 0.002;
    const t1 = steps * dt;
    // off the grid (0.0007 into a step of 0.002), so the values come from each step's Hermite interpolant
    const tEval = [...Array.from({ length: 6 }, (_, i) => (i * t1) / 6 + 0.0007), t1];
    const own = solveIVP(lorenz.rhs, [0, t1], [1, 1, 1], { method: 'RK4', dt, tEval });
    const returning = (t: number, y: Float64Array) => {
      const d = new Float64Array(3);
      lorenz.rhs(t, y, d);
      return d;
    };
    const shared = solveIVP(returning, [0, t1], [1, 1, 1], { method: 'RK4', dt, tEval });
    expect(Array.from(own.y.dataSync())).toEqual(Array.from(shared.y.dataSync()));
    expect(own.nfev).toBe(4 * steps + 1);
  });
});
