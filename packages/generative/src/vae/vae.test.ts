import { treeMap } from '@sciml/autodiff';
import { Generator, type NDArray, array, mean, mul, square, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { type VaeParams, vae, vaeElbo, vaeLogLikelihood, vaeSample } from './vae.js';

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
