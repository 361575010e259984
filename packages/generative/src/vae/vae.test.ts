import { treeMap } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  array,
  mean,
  mul,
  sigmoid,
  square,
  sum,
  zeros,
} from '@sciml/linalg';
import type { GaussianMixture } from '../density/gaussian-mixture-em.js';
import { describe, expect, it } from 'vitest';
import {
  type VaeParams,
  vae,
  vaeElbo,
  vaeExPostPrior,
  vaeLogLikelihood,
  vaeSample,
} from './vae.js';

const zeroed = (p: VaeParams): VaeParams => treeMap((x: NDArray) => mul(x, 0), p) as VaeParams;

describe('VAE ELBO and importance-weighted likelihood', () => {
  it('are exact when encoder and decoder are zero: q(z|x) = p(z), p(x|z) = N(0, I)', () => {
    const rng = new Generator(0);
    const model = vae({ dataDim: 2, latentDim: 3, hidden: [8] });
    const params = zeroed(model.init(rng));
    const x = rng.normal([50, 2]);
    // ln N(x; 0, I₂) = −½|x|² − ln 2π
    const exact = mean(sum(square(x), { axis: 1 })).item() * -0.5 - Math.log(2 * Math.PI);
    const terms = vaeElbo(model, params, x, { rng });
    expect(terms.kl.item()).toBe(0);
    expect(terms.elbo.item()).toBeCloseTo(exact, 12);
    expect(vaeLogLikelihood(model, params, x, { rng, samples: 5 })).toBeCloseTo(exact, 12);
  });

  it('Bernoulli decoder with zero logits gives ln p(x) = d ln ½', () => {
    const rng = new Generator(1);
    const model = vae({ dataDim: 4, latentDim: 2, hidden: [8], likelihood: 'bernoulli' });
    const params = zeroed(model.init(rng));
    const x = array([
      [1, 0, 1, 1],
      [0, 0, 0, 1],
    ]);
    expect(vaeLogLikelihood(model, params, x, { rng, samples: 3 })).toBeCloseTo(
      4 * Math.log(0.5),
      12,
    );
    const s = vaeSample(model, params, { rng, n: 2000 });
    expect(mean(s).item()).toBeCloseTo(0.5, 1);
  });

  it('the K-sample bound is tighter than the ELBO, and β scales the KL term', () => {
    const rng = new Generator(2);
    const model = vae({ dataDim: 2, latentDim: 2, hidden: [16] });
    const params = model.init(rng);
    const x = rng.normal([400, 2]);
    const elbos = Array.from({ length: 20 }, () => vaeElbo(model, params, x, { rng }).elbo.item());
    const elbo = elbos.reduce((a, b) => a + b) / elbos.length;
    const k1 = vaeLogLikelihood(model, params, x, { rng, samples: 1 });
    const k50 = vaeLogLikelihood(model, params, x, { rng, samples: 50 });
    // both estimate E ln w; the K = 1 figure is one draw over 400 rows (sd ≈ 0.05)
    expect(Math.abs(k1 - elbo)).toBeLessThan(0.15);
    expect(k50).toBeGreaterThan(k1);
    const b = vaeElbo(model, params, x, { rng, beta: 4 });
    expect(b.elbo.item()).toBeCloseTo(b.reconstruction.item() - 4 * b.kl.item(), 12);
  });
});

describe('VAE sampling from an ex-post prior (Ghosh et al. 2020)', () => {
  it('decodes the prior draws: a point-mass mixture gives the decoder mean at that point, in float32', () => {
    const rng = new Generator(4);
    const model = vae({
      dataDim: 5,
      latentDim: 2,
      hidden: [8],
      likelihood: 'bernoulli',
      dtype: 'float32',
    });
    const params = model.init(rng);
    const z0 = array([[0.7, -1.2]], { dtype: 'float32' });
    const prior: GaussianMixture = {
      weights: Float64Array.of(1),
      means: array([[0.7, -1.2]]),
      choleskyFactors: zeros([1, 2, 2]),
      logLikelihoods: [],
    };
    const s = vaeSample(model, params, { rng, n: 3, mean: true, prior });
    expect(s.dtype).toBe('float32');
    const want = sigmoid(model.decode(params, z0)).toNested() as number[][];
    for (const row of s.toNested() as number[][]) expect(row).toEqual(want[0]);
    expect(
      vaeElbo(model, params, rng.uniform([4, 5], { dtype: 'float32' }), { rng }).elbo.dtype,
    ).toBe('float32');
  });

  it('fits the mixture to the encoder means and refuses a prior of the wrong dimension', () => {
    const rng = new Generator(5);
    const model = vae({ dataDim: 3, latentDim: 2, hidden: [8] });
    const params = model.init(rng);
    const x = rng.normal([200, 3]);
    const prior = vaeExPostPrior(model, params, x, { components: 1, rng });
    // one component: the mean of μ(xₙ)
    const mu = mean(model.encode(params, x).mu, { axis: 0 }).toNested() as number[];
    const got = (prior.means.toNested() as number[][])[0]!;
    expect(got[0]).toBeCloseTo(mu[0]!, 10);
    expect(got[1]).toBeCloseTo(mu[1]!, 10);
    const wrong = vae({ dataDim: 3, latentDim: 3, hidden: [8] });
    expect(() => vaeSample(wrong, wrong.init(rng), { rng, n: 2, prior })).toThrow(
      /vaeSample.*dimension/,
    );
  });
});
