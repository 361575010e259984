import { describeBadInput } from '@sciml/config/test-helpers';
import {
  Generator,
  ValueError,
  add,
  array,
  concat,
  mean,
  mul,
  std,
  sub,
  zeros,
} from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { vae, vaeDecodeSample } from '../vae/vae.js';
import { mlpDenoiser } from './denoiser.js';
import {
  fitLatentScaling,
  latentDdpmLatents,
  latentDdpmSample,
  scaleLatents,
  trainLatentDdpm,
  unscaleLatents,
} from './latent-diffusion.js';
import { cosineSchedule } from './schedules.js';

const rng0 = new Generator(0);

describe('latent scaling', () => {
  it("'dimension' standardises each coordinate and round-trips exactly", () => {
    const rng = new Generator(1);
    // columns N(3, 2²) and N(−1, 0.1²)
    const z = add(mul(rng.normal([500, 2]), array([[2, 0.1]])), array([[3, -1]]));
    const s = fitLatentScaling(z);
    const u = scaleLatents(s, z);
    const m = mean(u, { axis: 0 }).toNested() as number[];
    const sd = std(u, { axis: 0 }).toNested() as number[];
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(m[j]!)).toBeLessThan(1e-12);
      expect(sd[j]).toBeCloseTo(1, 12);
    }
    expect(s.scale[0]).toBeCloseTo(2, 0);
    expect(s.shift[1]).toBeCloseTo(-1, 1);
    const back = unscaleLatents(s, u);
    const err = Math.max(...(sub(back, z).dataSync() as Float64Array).map(Math.abs));
    expect(err).toBeLessThan(1e-13);
  });

  it("'scalar' divides by the root mean square of all entries (Rombach et al.), uncentred; 'none' is the identity", () => {
    const z = array([
      [1, -3],
      [1, 3],
    ]);
    const s = fitLatentScaling(z, 'scalar');
    expect(Array.from(s.shift)).toEqual([0, 0]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(5), 14);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(5), 14);
    const id = fitLatentScaling(z, 'none');
    expect(scaleLatents(id, z).toNested()).toEqual(z.toNested());
  });

  it('keeps scale 1 for a collapsed (constant) coordinate, and the dtype of the latents', () => {
    const z = array([
      [0.5, 1],
      [0.5, 3],
    ]);
    const s = fitLatentScaling(z);
    expect(s.scale[0]).toBe(1);
    expect(s.scale[1]).toBe(1);
    expect(scaleLatents(s, z).toNested()).toEqual([
      [0, -1],
      [0, 1],
    ]);
    const z32 = rng0.normal([3, 2], { dtype: 'float32' });
    expect(scaleLatents(s, z32).dtype).toBe('float32');
  });
});

describe('latent DDPM (Rombach et al. 2022) on a tiny problem', () => {
  // data: two clusters at ±1 in 6-D; an untrained encoder maps them to two latent clusters
  const rng = new Generator(2);
  const sign = concat([zeros([40, 1]), add(zeros([40, 1]), 1)], { axis: 0 });
  const x = add(
    mul(sub(mul(sign, 2), 1), array([[1, 1, 1, -1, -1, -1]])),
    mul(rng.normal([80, 6]), 0.05),
  );
  const model = vae({ dataDim: 6, latentDim: 2, hidden: [8], likelihood: 'bernoulli' });
  const vaeParams = model.init(rng);
  const schedule = cosineSchedule({ timesteps: 100 });
  const losses: number[] = [];
  const ldm = trainLatentDdpm(model, vaeParams, x, {
    schedule,
    rng,
    steps: 300,
    batchSize: 64,
    optimizer: adam({ lr: 3e-3 }),
    denoiser: mlpDenoiser({ dim: 2, hidden: 32, depth: 2, embeddingDim: 8 }),
    onStep: (_, l) => {
      losses.push(l);
      return undefined;
    },
  });

  it('trains in the scaled latent space: the ε-loss falls well below the zero predictor’s 1', () => {
    const avg = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    const first = avg(losses.slice(0, 30));
    const last = avg(losses.slice(-30));
    // unit-variance data: predicting ε = 0 scores E‖ε‖²/d = 1; a two-point law is far easier
    expect(first).toBeGreaterThan(0.6);
    expect(last).toBeLessThan(0.5);
    expect(last).toBeLessThan(0.6 * first);
  });

  it('samples latents near the two encoded clusters, and decodes them to [n, dataDim]', () => {
    const mu = model.encode(vaeParams, x).mu.toNested() as number[][];
    const c0 = mu[0]!;
    const c1 = mu[79]!;
    const gap = Math.hypot(c0[0]! - c1[0]!, c0[1]! - c1[1]!);
    const z = latentDdpmLatents(ldm, { rng, n: 200, steps: 50 });
    expect(z.shape).toEqual([200, 2]);
    let near = 0;
    let side0 = 0;
    for (const r of z.toNested() as number[][]) {
      const d0 = Math.hypot(r[0]! - c0[0]!, r[1]! - c0[1]!);
      const d1 = Math.hypot(r[0]! - c1[0]!, r[1]! - c1[1]!);
      if (Math.min(d0, d1) < 0.25 * gap) near++;
      if (d0 < d1) side0++;
    }
    expect(near / 200).toBeGreaterThan(0.9);
    // both modes, in roughly equal shares (40 / 40 in the data)
    expect(side0).toBeGreaterThan(60);
    expect(side0).toBeLessThan(140);

    const xs = latentDdpmSample(ldm, { rng, n: 7, mean: true, sampler: 'ddpm' });
    expect(xs.shape).toEqual([7, 6]);
    const v = xs.dataSync() as Float64Array;
    expect(v.every((p) => p > 0 && p < 1)).toBe(true);
    const draws = latentDdpmSample(ldm, { rng, n: 5 });
    expect((draws.dataSync() as Float64Array).every((p) => p === 0 || p === 1)).toBe(true);
  });
});

describeBadInput('latent diffusion', [
  {
    call: 'fitLatentScaling(z with a NaN)',
    run: () => fitLatentScaling(array([[1, Number.NaN]])),
    error: ValueError,
    op: 'fitLatentScaling',
    says: ['NaN'],
  },
  {
    call: "fitLatentScaling(z, 'global')",
    run: () => fitLatentScaling(array([[1, 2]]), 'global' as never),
    error: ValueError,
    op: 'fitLatentScaling',
  },
  {
    call: 'scaleLatents(scaling of d = 2, z of d = 3)',
    run: () => scaleLatents(fitLatentScaling(array([[1, 2]])), zeros([4, 3])),
    error: ValueError,
    op: 'scaleLatents',
    says: ['[n, 2]'],
  },
  {
    call: 'trainLatentDdpm(vae of dataDim 6, data [n, 5])',
    run: () =>
      trainLatentDdpm(vae({ dataDim: 6 }), vae({ dataDim: 6 }).init(rng0), zeros([4, 5]), {
        schedule: cosineSchedule({ timesteps: 10 }),
        rng: rng0,
      }),
    error: ValueError,
    op: 'trainLatentDdpm',
    says: ['[n, 6]'],
  },
  {
    call: 'trainLatentDdpm(vae of latentDim 2, denoiser of dim 3)',
    run: () =>
      trainLatentDdpm(vae({ dataDim: 6 }), vae({ dataDim: 6 }).init(rng0), zeros([4, 6]), {
        schedule: cosineSchedule({ timesteps: 10 }),
        rng: rng0,
        denoiser: mlpDenoiser({ dim: 3 }),
      }),
    error: ValueError,
    op: 'trainLatentDdpm',
    says: ['latent dimension 2'],
  },
  {
    call: 'vaeDecodeSample(vae of latentDim 2, z [n, 3])',
    run: () =>
      vaeDecodeSample(vae({ dataDim: 6 }), vae({ dataDim: 6 }).init(rng0), zeros([1, 3]), {
        rng: rng0,
      }),
    error: ValueError,
    op: 'vaeDecodeSample',
    says: ['[n, 2]'],
  },
]);

describe('latent DDPM sampling options', () => {
  const model = vae({ dataDim: 4 });
  const params = model.init(rng0);
  const ldm = trainLatentDdpm(model, params, rng0.normal([8, 4]), {
    schedule: cosineSchedule({ timesteps: 10 }),
    rng: rng0,
    steps: 1,
    batchSize: 4,
  });
  for (const [what, opts, says] of [
    ['n = 0', { n: 0 }, /n must be a positive integer/],
    ['steps > T', { n: 2, steps: 11 }, /steps must be an integer in \[1, T = 10\]/],
    ['eta < 0', { n: 2, eta: -1 }, /eta must be ≥ 0/],
    ["sampler 'euler'", { n: 2, sampler: 'euler' as never }, /sampler must be/],
  ] as const) {
    it(`${what} → ValueError naming the function called`, () => {
      expect(() => latentDdpmSample(ldm, { rng: rng0, ...opts })).toThrow(/^latentDdpmSample: /);
      expect(() => latentDdpmSample(ldm, { rng: rng0, ...opts })).toThrow(says);
      expect(() => latentDdpmLatents(ldm, { rng: rng0, ...opts })).toThrow(/^latentDdpmLatents: /);
    });
  }
});
