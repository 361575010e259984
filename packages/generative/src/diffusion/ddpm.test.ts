import {
  Generator,
  type NDArray,
  add,
  array,
  mean,
  mul,
  square,
  std,
  sub,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { annealedLangevinSample } from '../score/annealed-langevin.js';
import { type DdimSampleOptions, ddimSample, ddimTimesteps, ddpmLoss, ddpmSample } from './ddpm.js';
import type { Denoiser } from './denoiser.js';
import { mlpDenoiser } from './denoiser.js';
import { cosineSchedule, linearSchedule, type NoiseSchedule } from './schedules.js';
import { timestepEmbedding } from './time-embedding.js';

/**
 * The Bayes-optimal ε-predictor for 1-D data x₀ ~ N(μ, s²): x_t ~ N(√ᾱμ, ᾱs² + 1 − ᾱ) and
 * E[ε | x_t] = √(1 − ᾱ)(x_t − √ᾱμ)/(ᾱs² + 1 − ᾱ). Samplers driven by it must return N(μ, s²).
 */
function exactDenoiser(
  schedule: NoiseSchedule,
  mu: number,
  s: number,
): Denoiser<Record<string, never>> {
  return {
    dim: 1,
    init: () => ({}),
    apply: (_p, x, t) => {
      const ab = schedule.alphasCumprod[t[0]! - 1]!;
      return mul(sub(x, Math.sqrt(ab) * mu), Math.sqrt(1 - ab) / (ab * s * s + 1 - ab));
    },
  };
}

describe('timestepEmbedding', () => {
  it('is [sin(tω), cos(tω)] with geometric frequencies', () => {
    const e = timestepEmbedding([0, 3], 4).toNested() as number[][];
    expect(e[0]).toEqual([0, 0, 1, 1]);
    // ω = [1, 10000^{-1/2} = 0.01]
    expect(e[1]![0]).toBeCloseTo(Math.sin(3), 14);
    expect(e[1]![1]).toBeCloseTo(Math.sin(0.03), 14);
    expect(e[1]![3]).toBeCloseTo(Math.cos(0.03), 14);
    expect(() => timestepEmbedding([1], 3)).toThrow(/timestepEmbedding.*even/);
  });
});

describe('ddpmLoss', () => {
  it('vanishes for the exact noise predictor of a point mass at 0, and is 1 for the zero predictor', () => {
    const rng = new Generator(0);
    const schedule = linearSchedule({ timesteps: 100 });
    const x0 = array([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const perfect: Denoiser<Record<string, never>> = {
      dim: 2,
      init: () => ({}),
      // x_t = √(1 − ᾱ) ε exactly
      apply: (_p, x, t) =>
        mul(x, array(Array.from(t, (s) => [1 / Math.sqrt(1 - schedule.alphasCumprod[s - 1]!)]))),
    };
    expect(ddpmLoss(perfect, {}, x0, { schedule, rng }).item()).toBeLessThan(1e-24);
    const zero: Denoiser<Record<string, never>> = {
      dim: 2,
      init: () => ({}),
      apply: (_p, x) => mul(x, 0),
    };
    const big = rng.normal([4000, 2]);
    expect(Math.abs(ddpmLoss(zero, {}, big, { schedule, rng }).item() - 1)).toBeLessThan(0.05);
  });
});

describe('samplers with the exact denoiser of a Gaussian', () => {
  const mu = 2;
  const s = 0.5;
  const n = 4000;
  const check = (x: NDArray) => {
    // mean and sd of n draws: se(mean) = s/√n = 0.008, se(sd) ≈ s/√(2n) = 0.006
    expect(Math.abs(mean(x).item() - mu)).toBeLessThan(0.04);
    expect(Math.abs(std(x).item() - s)).toBeLessThan(0.03);
  };
  for (const [name, schedule] of [
    ['linear', linearSchedule({ timesteps: 1000 })],
    ['cosine', cosineSchedule({ timesteps: 1000 })],
  ] as const) {
    it(`ancestral DDPM sampling returns N(μ, s²) (${name} schedule)`, () => {
      const rng = new Generator(1);
      check(ddpmSample(exactDenoiser(schedule, mu, s), {}, { schedule, rng, n }));
    });
    it(`deterministic DDIM with 50 steps returns N(μ, s²) (${name} schedule)`, () => {
      const rng = new Generator(2);
      check(ddimSample(exactDenoiser(schedule, mu, s), {}, { schedule, rng, n, steps: 50 }));
    });
  }

  it('annealed Langevin (geometric σ levels, SNR step) returns N(μ, s²) (linear schedule)', () => {
    const schedule = linearSchedule({ timesteps: 1000 });
    const rng = new Generator(5);
    const exact = exactDenoiser(schedule, mu, s);
    check(annealedLangevinSample(exact, {}, { schedule, rng, n, stepsPerLevel: 100 }));
    expect(() => annealedLangevinSample(exact, {}, { schedule, rng, n, snr: 0 })).toThrow(/snr/);
  });

  it('float32 data trains in float32: ddpmLoss keeps the dtype of x₀ and of the denoiser', () => {
    const rng = new Generator(6);
    const schedule = linearSchedule({ timesteps: 100 });
    const net = mlpDenoiser({ dim: 3, hidden: 8, depth: 1, embeddingDim: 4, dtype: 'float32' });
    const params = net.init(rng);
    const x0 = rng.normal([5, 3], { dtype: 'float32' });
    expect(net.apply(params, x0, [1, 2, 3, 4, 5]).dtype).toBe('float32');
    expect(ddpmLoss(net, params, x0, { schedule, rng }).dtype).toBe('float32');
  });

  it('DDIM with η = 0 is deterministic: the same x_T gives the same x₀', () => {
    const schedule = cosineSchedule({ timesteps: 200 });
    const rng = new Generator(3);
    const xT = rng.normal([5, 1]);
    const a = ddimSample(
      exactDenoiser(schedule, mu, s),
      {},
      { schedule, rng, n: 5, xT, steps: 20 },
    );
    const b = ddimSample(
      exactDenoiser(schedule, mu, s),
      {},
      { schedule, rng, n: 5, xT, steps: 20 },
    );
    expect(sum(square(sub(a, b))).item()).toBe(0);
    // for a Gaussian the probability-flow map is affine: x_τ₁ ~ N(√ᾱμ, ᾱs² + 1 − ᾱ) at the first (leading)
    // timestep τ₁ = 1 + 19·200/20 = 191 goes to x₀ = μ + s(x − √ᾱμ)/√(ᾱs² + 1 − ᾱ) (up to 20 steps' error)
    expect(ddimTimesteps(200, 20, 'leading')[0]).toBe(191);
    const ab = schedule.alphasCumprod[190]!;
    const expected = add(
      mul(sub(xT, Math.sqrt(ab) * mu), s / Math.sqrt(ab * s * s + 1 - ab)),
      mu,
    ).dataSync();
    const got = a.dataSync();
    // first-order in 1/S: max error 0.060 at 20 steps, 0.012 at 100
    for (let i = 0; i < got.length; i++) {
      expect(Math.abs(Number(got[i]) - Number(expected[i]))).toBeLessThan(0.07);
    }
  });
});

describe('sampling where the β clip leaves ᾱ_T ≈ 0 (cosine schedule, default maxBeta 0.999)', () => {
  // A trained ε-network is never exact; a bias of 0.01 stands in for its error. At t = T = 1000 the clip leaves
  // ᾱ_T = 2.4e-9, and the first DDIM step T → 980 multiplies the error by √(ᾱ₉₈₀/ᾱ_T) ≈ 600
  const schedule = cosineSchedule({ timesteps: 1000 });
  const [mu, s, n] = [2, 0.5, 2000];
  const exact = exactDenoiser(schedule, mu, s);
  const biased: Denoiser<Record<string, never>> = {
    ...exact,
    apply: (p, x, t) => add(exact.apply(p, x, t), 0.01),
  };
  it('lists the timesteps: leading 1, 1 + T/S, …; trailing T/S, …, T', () => {
    expect(ddimTimesteps(10, 5, 'leading')).toEqual([9, 7, 5, 3, 1]);
    expect(ddimTimesteps(10, 5, 'trailing')).toEqual([10, 8, 6, 4, 2]);
    expect(ddimTimesteps(3, 3, 'leading')).toEqual([3, 2, 1]);
    expect(schedule.alphasCumprod[999]!).toBeLessThan(1e-8);
  });
  it('DDIM from t = T (trailing) is thrown off; the default leading spacing is not, and clipping x̂₀ bounds the damage', () => {
    const rng = new Generator(7);
    const xT = rng.normal([n, 1]);
    const opts = { schedule, rng, n, steps: 50, xT } as const;
    // the shift of the sample mean that the ε error causes, against the exact network from the same x_T
    const drift = (o: Partial<DdimSampleOptions>) =>
      Math.abs(
        mean(ddimSample(biased, {}, { ...opts, ...o })).item() -
          mean(ddimSample(exact, {}, { ...opts, ...o })).item(),
      );
    const trailing = drift({ spacing: 'trailing' });
    const leading = drift({});
    const clipped = drift({ spacing: 'trailing', clipDenoised: 3 });
    console.log(
      `DDIM mean drift from an ε bias of 0.01: trailing ${trailing.toFixed(3)}, leading ${leading.toFixed(3)}, trailing with x̂₀ ∈ [−3, 3] ${clipped.toFixed(3)}`,
    );
    // measured 3.09, 0.027, 0.10
    expect(trailing).toBeGreaterThan(1);
    expect(leading).toBeLessThan(0.04);
    expect(clipped).toBeLessThan(0.15);
    // the leading start ignores the signal √ᾱ_τ₁ μ left at τ₁ = 981; the exact network still returns N(μ, s²)
    const x = ddimSample(exact, {}, opts);
    expect(Math.abs(mean(x).item() - mu)).toBeLessThan(0.06);
    expect(() => ddimSample(biased, {}, { ...opts, clipDenoised: 0 })).toThrow(
      /ddimSample.*clipDenoised/,
    );
  });
  it('DDPM with x̂₀ clipped steps with the posterior mean μ̃(x_t, x̂₀) and still returns N(μ, s²)', () => {
    const x = ddpmSample(exact, {}, { schedule, rng: new Generator(8), n, clipDenoised: 5 });
    expect(Math.abs(mean(x).item() - mu)).toBeLessThan(0.04);
    expect(Math.abs(std(x).item() - s)).toBeLessThan(0.03);
    expect(() =>
      ddpmSample(exact, {}, { schedule, rng: new Generator(8), n, clipDenoised: -1 }),
    ).toThrow(/ddpmSample.*clipDenoised/);
  });
});

describe('mlpDenoiser', () => {
  it('maps [n, d] and n timesteps to [n, d] and refuses mismatched input', () => {
    const rng = new Generator(4);
    const net = mlpDenoiser({ dim: 2, hidden: 16, depth: 2, embeddingDim: 8 });
    const params = net.init(rng);
    expect(net.apply(params, rng.normal([5, 2]), [1, 2, 3, 4, 5]).shape).toEqual([5, 2]);
    expect(() => net.apply(params, rng.normal([5, 2]), [1, 2])).toThrow(/mlpDenoiser.*timesteps/);
  });
});
