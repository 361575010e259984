import { grad, jvp } from '@sciml/autodiff';
import { type NDArray, array, mul, scalar, slice, square, stack, sub, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { odeint } from './odeint.js';
import { solveIVP } from './solve-ivp.js';

type LorenzParams = { sigma: NDArray; rho: NDArray; beta: NDArray };

/** Lorenz (1963) with differentiable parameters. */
const lorenz = (_t: number, y: NDArray, p: LorenzParams): NDArray => {
  const x = slice(y, 0);
  const yy = slice(y, 1);
  const z = slice(y, 2);
  return stack([
    mul(p.sigma, sub(yy, x)),
    sub(mul(x, sub(p.rho, z)), yy),
    sub(mul(x, yy), mul(p.beta, z)),
  ]);
};

const ts = [0, 0.25, 0.5, 0.75, 1];
const y0 = array([1, 1, 1]);
const params = (s: number, r: number, b: number): LorenzParams => ({
  sigma: scalar(s),
  rho: scalar(r),
  beta: scalar(b),
});
const base = [10, 28, 8 / 3];
const tight = { rtol: 1e-12, atol: 1e-12 };

/** L = Σ over output times of ‖y(tᵢ)‖² weighted, so every row's cotangent is non-trivial. */
const loss = (ys: NDArray): NDArray => sum(square(mul(ys, 0.01)));

const flat = (p: LorenzParams, y: NDArray): number[] => [
  p.sigma.item(),
  p.rho.item(),
  p.beta.item(),
  ...Array.from(y.dataSync() as ArrayLike<number>),
];

/** Lorenz on plain numbers, for the finite-difference reference (an independent float64 solve). */
const lorenzNumeric =
  (s: number, r: number, b: number) => (_t: number, y: Float64Array, d: Float64Array) => {
    d[0] = s * (y[1] - y[0]);
    d[1] = y[0] * (r - y[2]) - y[1];
    d[2] = y[0] * y[1] - b * y[2];
  };

/**
 * Central finite differences of the loss in (σ, ρ, β, y0), step h·max(1, |x|), on `solveIVP` (Dormand–Prince
 * at rtol 1e-13 on Float64Array state): independent of odeint's NDArray replay, and cheap.
 */
function finiteDifferences(h: number): number[] {
  const x0 = [...base, 1, 1, 1];
  const value = (x: number[]) => {
    const r = solveIVP(lorenzNumeric(x[0]!, x[1]!, x[2]!), [0, 1], x.slice(3), {
      rtol: 1e-13,
      atol: 1e-13,
      tEval: ts,
    });
    let acc = 0;
    for (const v of r.y.dataSync() as Float64Array) acc += (0.01 * v) ** 2;
    return acc;
  };
  return x0.map((xi, i) => {
    const step = h * Math.max(1, Math.abs(xi));
    const up = [...x0];
    const down = [...x0];
    up[i] = xi + step;
    down[i] = xi - step;
    return (value(up) - value(down)) / (2 * step);
  });
}

function gradient(mode: 'direct' | 'adjoint', opts: object = tight): number[] {
  const g = grad(
    (p: LorenzParams, y: NDArray) => loss(odeint(lorenz, y, ts, p, { ...opts, gradient: mode })),
    { argnums: [0, 1] },
  )(params(base[0]!, base[1]!, base[2]!), y0) as [LorenzParams, NDArray];
  return flat(g[0], g[1]);
}

const maxRelErr = (a: number[], b: number[]) =>
  Math.max(...a.map((ai, i) => Math.abs(ai - b[i]!) / Math.max(Math.abs(b[i]!), 1e-300)));

describe('odeint gradients on Lorenz (tight tolerances)', () => {
  it('adjoint gradients on Lorenz agree with central differences to 1e-6 and with backprop through the solver', () => {
    const adjoint = gradient('adjoint');
    const direct = gradient('direct');
    const fd = finiteDifferences(1e-5);
    expect(maxRelErr(adjoint, fd)).toBeLessThan(1e-6);
    expect(maxRelErr(direct, fd)).toBeLessThan(1e-6);
    expect(maxRelErr(adjoint, direct)).toBeLessThan(1e-8);
  });

  it('forward sensitivities (jvp through the steps) agree with the adjoint gradient along a direction', () => {
    const v = [0.3, -0.7, 0.5, 0.2, -0.4, 0.9];
    const adjoint = gradient('adjoint');
    const expected = adjoint.reduce((acc, gi, i) => acc + gi * v[i]!, 0);
    for (const mode of ['direct', 'adjoint'] as const) {
      const [, dLoss] = jvp(
        (p: LorenzParams, y: NDArray) =>
          loss(odeint(lorenz, y, ts, p, { ...tight, gradient: mode })),
        [params(base[0]!, base[1]!, base[2]!), y0],
        [params(v[0]!, v[1]!, v[2]!), array(v.slice(3))],
      );
      expect(Math.abs(dLoss.item() - expected) / Math.abs(expected)).toBeLessThan(1e-8);
    }
  });

  it('RK4 with a fixed step: direct and adjoint gradients converge together as dt shrinks', () => {
    const a = gradient('adjoint', { method: 'RK4', dt: 1e-3 });
    const d = gradient('direct', { method: 'RK4', dt: 1e-3 });
    expect(maxRelErr(a, d)).toBeLessThan(1e-8);
  });
});
