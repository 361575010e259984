import { describe, expect, it } from 'vitest';
import { EULER } from '../methods/euler.js';
import { RK4 } from '../methods/rk4.js';
import type { ButcherTableau } from '../tableau.js';
import {
  type InlineRhs,
  compileTableauKernel,
  exactRational,
  tableauKernelSource,
} from './tableau-kernel.js';

/** Forced oscillator x' = v, v' = −x + sin t, as inline expressions and as an in-place function. */
const OSC: InlineRhs = {
  dim: 2,
  expressions: (time, s) => [`${s[1]}`, `((-${s[0]}) + Math.sin(${time}))`],
};
const oscF = (t: number, y: Float64Array, d: Float64Array) => {
  d[0] = y[1];
  d[1] = -y[0] + Math.sin(t);
};

/** Kutta's third-order method (Hairer–Nørsett–Wanner I, Table II.1.1): negative and multiple weights per row. */
const KUTTA3: ButcherTableau = {
  name: 'Kutta3',
  stages: 3,
  order: 3,
  embeddedOrder: 0,
  c: [0, 1 / 2, 1],
  A: [[], [1 / 2], [-1, 2]],
  b: [1 / 6, 2 / 3, 1 / 6],
  fsal: false,
};

/** Kutta's 3/8 rule (HNW I, Table II.1.2, right). */
const RULE38: ButcherTableau = {
  name: '3/8 rule',
  stages: 4,
  order: 4,
  embeddedOrder: 0,
  c: [0, 1 / 3, 2 / 3, 1],
  A: [[], [1 / 3], [-1 / 3, 1], [1, -1, 1]],
  b: [1 / 8, 3 / 8, 3 / 8, 1 / 8],
  fsal: false,
};

/** A tableau step written the textbook way: kᵢ = f(t + cᵢh, y + h Σⱼ aᵢⱼkⱼ), y ← y + h Σ bᵢkᵢ. */
function referenceSteps(
  tab: ButcherTableau,
  y: Float64Array,
  t0: number,
  h: number,
  steps: number,
) {
  const n = y.length;
  const k = Array.from({ length: tab.stages }, () => new Float64Array(n));
  const u = new Float64Array(n);
  for (let j = 0; j < steps; j++) {
    const t = t0 + j * h;
    for (let s = 0; s < tab.stages; s++) {
      for (let m = 0; m < n; m++) {
        let acc = 0;
        for (let l = 0; l < s; l++) acc += tab.A[s]![l]! * k[l]![m]!;
        u[m] = y[m]! + h * acc;
      }
      oscF(t + tab.c[s]! * h, u, k[s]!);
    }
    for (let m = 0; m < n; m++) {
      let acc = 0;
      for (let s = 0; s < tab.stages; s++) acc += tab.b[s]! * k[s]![m]!;
      y[m] += h * acc;
    }
  }
  return y;
}

/** Runs a generated kernel for `steps` steps from (t0, y0) as FixedStepper does (k1 = f(t0, y0) on entry). */
function runKernel(tab: ButcherTableau, y0: Float64Array, t0: number, h: number, steps: number) {
  const kernel = compileTableauKernel(tab, OSC)!;
  const y = Float64Array.from(y0);
  const k1 = new Float64Array(2);
  const yOld = new Float64Array(2);
  const fOld = new Float64Array(2);
  const unused = new Float64Array(2);
  oscF(t0, y, k1);
  const tEnd = t0 + steps * h;
  kernel(oscF, y, k1, unused, unused, unused, unused, yOld, fOld, t0, h, 0, steps, true, tEnd);
  return { y, k1, yOld, fOld };
}

describe('exactRational', () => {
  it('recovers p/q exactly from float64 coefficients, and refuses what is not one', () => {
    expect(exactRational(1 / 6)).toEqual([1, 6]);
    expect(exactRational(-1 / 3)).toEqual([-1, 3]);
    expect(exactRational(0.1)).toEqual([1, 10]);
    expect(exactRational(35 / 384)).toEqual([35, 384]);
    expect(exactRational(2)).toEqual([2, 1]);
    expect(exactRational(Math.SQRT2)).toBeUndefined();
    expect(exactRational(Math.PI)).toBeUndefined();
  });
});

describe('compileTableauKernel', () => {
  it('writes RK4 as rk4Steps does: h/2 stages, (h/6)(k1 + 2(k2 + k3) + k4), no call of f', () => {
    const src = tableauKernelSource(RK4, OSC);
    expect(src).toContain('const s0 = h / 2; const s1 = h / 6;');
    expect(src).toContain('u1_0 = y_0 + s0 * k0_0');
    expect(src).toContain('u3_1 = y_1 + h * k2_1');
    expect(src).toContain('y_0 = y_0 + s1 * (k0_0 + 2 * (k1_0 + k2_0) + k3_0);');
    expect(src).toContain('Math.sin((t + s0))');
    expect(src).not.toMatch(/\bf\(/);
    expect(tableauKernelSource(EULER, OSC)).toContain('y_0 = y_0 + h * k0_0;');
  });

  it('integrates any explicit tableau as the textbook loop does (Kutta 3, 3/8 rule, RK4, Euler)', () => {
    for (const tab of [KUTTA3, RULE38, RK4, EULER]) {
      const y0 = Float64Array.of(1, 0.5);
      const ours = runKernel(tab, y0, 0.2, 0.01, 500).y;
      const ref = referenceSteps(tab, Float64Array.from(y0), 0.2, 0.01, 500);
      for (let m = 0; m < 2; m++)
        expect(Math.abs(ours[m]! - ref[m]!), tab.name).toBeLessThan(1e-13);
    }
  });

  it('keeps the last step’s start and f at the end, as the dense output needs', () => {
    const { y, k1, yOld, fOld } = runKernel(RK4, Float64Array.of(1, 0.5), 0, 0.01, 10);
    const before = referenceSteps(RK4, Float64Array.of(1, 0.5), 0, 0.01, 9);
    for (let m = 0; m < 2; m++) expect(yOld[m]).toBeCloseTo(before[m]!, 14);
    const f = new Float64Array(2);
    oscF(0.09, before, f);
    for (let m = 0; m < 2; m++) expect(fOld[m]).toBeCloseTo(f[m]!, 14);
    oscF(0.1, y, f);
    expect(Array.from(k1)).toEqual(Array.from(f));
  });

  it('refuses FSAL and non-explicit tableaux (the caller then uses the generic loop)', () => {
    expect(compileTableauKernel({ ...RK4, fsal: true }, OSC)).toBeUndefined();
  });
});
