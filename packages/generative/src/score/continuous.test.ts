import { Generator, type NDArray, add, array, mean, mul, sub, variance } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import type { Denoiser } from '../diffusion/denoiser.js';
import { cosineSchedule, linearSchedule } from '../diffusion/schedules.js';
import { probabilityFlow, probabilityFlowSample } from './probability-flow.js';
import { reverseSdeSample } from './reverse-sde.js';
import { type VpSde, scoreFromDenoiser, vpSde, vpSdeFromSchedule } from './vp-sde.js';

/**
 * Data N(μ, s² I): the VP marginal is p_t = N(√ᾱ μ, v I) with v = ᾱs² + 1 − ᾱ, so the exact score is
 * −(x − √ᾱ μ)/v — the one case where a sampler's output can be compared with the truth in closed form.
 */
const MU = 2;
const S = 0.5;
const marginal = (sde: VpSde, t: number) => {
  const ab = sde.alphaBar(t);
  return { m: Math.sqrt(ab) * MU, v: ab * S * S + 1 - ab };
};
const exactScore = (sde: VpSde) => (x: NDArray, t: number) => {
  const { m, v } = marginal(sde, t);
  return mul(sub(x, m), -1 / v);
};

/** Column means and variances of x `[n, d]`, checked against N(m, v) within 5 standard errors + `bias`. */
function expectGaussian(x: NDArray, m: number, v: number, bias = 0): void {
  const n = x.shape[0]!;
  const d = x.shape[1]!;
  const cols = x.toNested() as number[][];
  for (let j = 0; j < d; j++) {
    const c = array(cols.map((r) => r[j]!));
    expect(Math.abs(mean(c).item() - m)).toBeLessThan(5 * Math.sqrt(v / n) + bias);
    expect(Math.abs(variance(c).item() / v - 1)).toBeLessThan(5 * Math.sqrt(2 / n) + bias);
  }
}

describe('VP-SDE', () => {
  it('linear β: ᾱ(t) = exp(−∫β) matches a quadrature of β', () => {
    const sde = vpSde();
    const t = 0.37;
    let integral = 0;
    const m = 2000;
    for (let k = 0; k < m; k++) integral += (sde.beta(((k + 0.5) * t) / m) * t) / m;
    expect(sde.alphaBar(t)).toBeCloseTo(Math.exp(-integral), 10);
    expect(sde.beta(0)).toBe(0.1);
    expect(sde.beta(1)).toBe(20);
  });

  it('from a schedule: ᾱ(i/T) is the discrete ᾱᵢ and β = −d ln ᾱ/dt', () => {
    const schedule = cosineSchedule({ timesteps: 50 });
    const sde = vpSdeFromSchedule(schedule);
    for (const i of [1, 7, 25, 50])
      expect(sde.alphaBar(i / 50)).toBeCloseTo(schedule.alphasCumprod[i - 1]!, 14);
    const t = 0.213;
    const h = 1e-6;
    const slope = -(Math.log(sde.alphaBar(t + h)) - Math.log(sde.alphaBar(t - h))) / (2 * h);
    expect(slope).toBeCloseTo(sde.beta(t), 5);
    // the linear DDPM schedule is the default continuous one at the grid: β(i/T) ≈ T βᵢ
    const lin = vpSdeFromSchedule(linearSchedule({ timesteps: 1000 }));
    expect(lin.alphaBar(1)).toBeCloseTo(vpSde().alphaBar(1), 4);
    expect(() => sde.beta(1.5)).toThrow(/\[0, 1\]/);
  });
});

describe('reverse-time SDE sampler (exact Gaussian score)', () => {
  it('returns the data marginal N(√ᾱ(ε)μ, ᾱ(ε)s² + 1 − ᾱ(ε)) from N(0, I) noise', () => {
    const sde = vpSde();
    const x = reverseSdeSample(exactScore(sde), sde, {
      rng: new Generator(0),
      n: 2000,
      dim: 2,
      steps: 500,
    });
    const { m, v } = marginal(sde, 1e-3);
    expectGaussian(x, m, v);
  });

  it('driven by an exact ε-network through scoreFromDenoiser (cosine schedule), with Tweedie denoising', () => {
    const schedule = cosineSchedule({ timesteps: 1000 });
    const sde = vpSdeFromSchedule(schedule);
    // ε(x, τ) = √(1 − ᾱ) (x − √ᾱ μ)/v at the continuous time t = τ/T the sampler asks for
    const eps: Denoiser<Record<string, never>> = {
      dim: 1,
      init: () => ({}),
      apply: (_p, x, tau) => {
        const t = tau[0]! / 1000;
        const { m, v } = marginal(sde, t);
        return mul(sub(x, m), Math.sqrt(1 - sde.alphaBar(t)) / v);
      },
    };
    const x = reverseSdeSample(scoreFromDenoiser(eps, {}, sde), sde, {
      rng: new Generator(1),
      n: 4000,
      dim: 1,
      steps: 500,
      denoise: true,
    });
    // E[x₀ | x_ε] has variance s²·ᾱs²/v, within 1e-4 of s² at ε = 1e-3
    expectGaussian(x, MU, S * S);
  });
});

describe('probability-flow ODE (exact Gaussian score)', () => {
  const sde = vpSde();
  const eps = 1e-3;
  // for Gaussian data the flow keeps z = (x − m(t))/√v(t) fixed: x(1) = m(1) + √(v(1)/v(ε)) (x(ε) − m(ε))
  const exactMap = (x: NDArray, from: number, to: number) => {
    const a = marginal(sde, from);
    const b = marginal(sde, to);
    return add(mul(sub(x, a.m), Math.sqrt(b.v / a.v)), b.m);
  };

  it('maps data to the prior deterministically, by the exact affine map, and back', () => {
    const rng = new Generator(2);
    const x0 = add(mul(rng.normal([200, 2]), S), MU);
    const z = probabilityFlow(exactScore(sde), sde, x0, eps, 1);
    const z2 = probabilityFlow(exactScore(sde), sde, x0, eps, 1);
    expect(z.toNested()).toEqual(z2.toNested());
    const errMap = Math.max(
      ...(sub(z, exactMap(x0, eps, 1)).toNested() as number[][]).flat().map(Math.abs),
    );
    // RK45 at rtol = atol = 1e-5 over the whole flow: measured 1.3e-5
    expect(errMap).toBeLessThan(1e-4);
    // the latents are the prior N(0, 1) up to the e^{−10} signal left at t = 1
    const { m, v } = marginal(sde, 1);
    expectGaussian(z, m, v);
    const back = probabilityFlow(exactScore(sde), sde, z, 1, eps);
    const recon = Math.max(...(sub(back, x0).toNested() as number[][]).flat().map(Math.abs));
    // two solves' errors: measured 2.6e-5
    expect(recon).toBeLessThan(1e-4);
  });

  it('samples the data marginal from prior noise', () => {
    const x = probabilityFlowSample(exactScore(sde), sde, {
      rng: new Generator(3),
      n: 2000,
      dim: 2,
    });
    const { m, v } = marginal(sde, eps);
    expectGaussian(x, m, v);
  });

  it('names bad input', () => {
    const rng = new Generator(4);
    expect(() => probabilityFlow(exactScore(sde), sde, rng.normal([3, 2]), 0, 1)).toThrow(
      /probabilityFlow.*\(0, 1\]/,
    );
    expect(() =>
      reverseSdeSample(exactScore(sde), sde, { rng, n: 3, dim: 2, xT: rng.normal([2, 2]) }),
    ).toThrow(/reverseSdeSample.*xT must be \[3, 2\]/);
    expect(() => reverseSdeSample(exactScore(sde), sde, { rng, n: 3, dim: 2, eps: 0 })).toThrow(
      /eps/,
    );
    expect(() => vpSde({ betaMin: 0 })).toThrow(/vpSde/);
  });
});
