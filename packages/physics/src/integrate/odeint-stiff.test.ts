import { grad } from '@sciml/autodiff';
import {
  type NDArray,
  ValueError,
  array,
  mul,
  scalar,
  slice,
  square,
  stack,
  sub,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { odeint } from './odeint.js';
import { solveIVP } from './solve-ivp.js';

/** Van der Pol, y₀' = y₁, y₁' = μ((1 − y₀²)y₁ − y₀), with a differentiable μ (stiff for large μ). */
const vdp = (_t: number, y: NDArray, mu: NDArray): NDArray => {
  const a = slice(y, 0);
  const b = slice(y, 1);
  return stack([b, mul(mu, sub(mul(sub(1, mul(a, a)), b), a))]);
};
const ts = [0, 0.5, 1, 1.5];
const loss = (ys: NDArray) => sum(square(ys));

/** Central differences of the same loss on float64 Radau solves (`solveIVP`), in (μ, y₀). */
function finiteDifferences(x0: number[]): number[] {
  const value = (x: number[]) => {
    const r = solveIVP(
      (_t, y, d) => {
        d[0] = y[1];
        d[1] = x[0] * ((1 - y[0] * y[0]) * y[1] - y[0]);
      },
      [0, 1.5],
      x.slice(1),
      { method: 'Radau', rtol: 1e-12, atol: 1e-12, tEval: ts },
    );
    let acc = 0;
    for (const v of r.y.dataSync() as Float64Array) acc += v * v;
    return acc;
  };
  return x0.map((xi, i) => {
    const h = 1e-5 * Math.max(1, Math.abs(xi));
    const up = [...x0];
    const down = [...x0];
    up[i] = xi + h;
    down[i] = xi - h;
    return (value(up) - value(down)) / (2 * h);
  });
}

describe('odeint with the stiff methods (Radau, Kvaerno5)', () => {
  it.each(['Radau', 'Kvaerno5'] as const)(
    '%s: checkpoint gradients of a Van der Pol (μ = 30) loss agree with finite differences',
    (method) => {
      // the backsolve adjoint would integrate Van der Pol backwards, where its limit cycle repels and the
      // solution blows up; the interpolating (checkpoint) adjoint re-solves forward instead
      const fd = finiteDifferences([30, 2, 0]);
      for (const gradient of ['checkpoint'] as const) {
        const [gmu, gy] = grad(
          (mu: NDArray, y0: NDArray) =>
            loss(odeint(vdp, y0, ts, mu, { method, rtol: 1e-9, atol: 1e-11, gradient })),
          { argnums: [0, 1] },
        )(scalar(30), array([2, 0])) as [NDArray, NDArray];
        const got = [gmu.item(), ...(gy.dataSync() as Float64Array)];
        for (let i = 0; i < got.length; i++) {
          const tol = 1e-5 * Math.max(1, Math.abs(fd[i]));
          expect(Math.abs(got[i] - fd[i]), `${gradient} ∂L/∂x${i}`).toBeLessThan(tol);
        }
      }
    },
  );

  it.each(['Radau', 'Kvaerno5'] as const)(
    '%s: checkpoint gradient for a stiff decay y′ = −ky (k = 500) matches the closed form',
    (method) => {
      // backwards, the decay is growth e^(500t): the backsolve adjoint overflows, so stiff problems take the
      // interpolating adjoint (Kim et al., "Stiff neural ordinary differential equations", 2021)
      const decay = (_t: number, y: NDArray, k: NDArray) => mul(k, sub(0, y));
      const g = grad((k: NDArray) =>
        sum(
          odeint(decay, array([2]), [0, 0.01, 1], k, {
            method,
            rtol: 1e-10,
            atol: 1e-14,
            gradient: 'checkpoint',
          }),
        ),
      )(scalar(500));
      // d/dk [2 + 2e^(−0.01k) + 2e^(−k)] = −0.02 e^(−0.01k) − 2 e^(−k)
      const exact = -0.02 * Math.exp(-5) - 2 * Math.exp(-500);
      expect(Math.abs(g.item() - exact)).toBeLessThan(1e-6 * Math.abs(exact));
    },
  );

  it('the solution matches solveIVP, and gradient: direct is refused with the fix named', () => {
    const ys = odeint(vdp, array([2, 0]), ts, scalar(30), {
      method: 'Radau',
      rtol: 1e-10,
      atol: 1e-12,
      gradient: 'adjoint',
    });
    const ref = solveIVP(
      (_t, y, d) => {
        d[0] = y[1];
        d[1] = 30 * ((1 - y[0] * y[0]) * y[1] - y[0]);
      },
      [0, 1.5],
      [2, 0],
      { method: 'Radau', rtol: 1e-12, atol: 1e-12, tEval: ts },
    );
    for (let i = 0; i < ts.length; i++)
      for (let j = 0; j < 2; j++) expect(ys.get(i, j)).toBeCloseTo(ref.y.get(j, i), 7);
    expect(() => odeint(vdp, array([2, 0]), ts, scalar(30), { method: 'Radau' })).toThrow(
      ValueError,
    );
    expect(() => odeint(vdp, array([2, 0]), ts, scalar(30), { method: 'Radau' })).toThrow(
      /gradient: 'adjoint'/,
    );
  });
});
