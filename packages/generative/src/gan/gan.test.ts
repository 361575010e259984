import { checkGrads, treeMap } from '@sciml/autodiff';
import { Generator, type NDArray, mul } from '@sciml/linalg';
import { tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { gan, ganDiscriminatorLoss, gradientPenalty } from './gan.js';

describe('WGAN-GP gradient penalty', () => {
  it('is (‖w‖ − 1)² for a linear critic D(x) = w·x + b', () => {
    const rng = new Generator(0);
    const model = gan({ dataDim: 2, hidden: [] });
    const params = model.init(rng);
    const w = (
      params.discriminator as { layers: { weight: NDArray }[] }
    ).layers[0]!.weight.dataSync();
    const norm = Math.hypot(Number(w[0]), Number(w[1]));
    const gp = gradientPenalty(
      model,
      params.discriminator,
      rng.normal([7, 2]),
      rng.normal([7, 2]),
      { rng },
    );
    expect(gp.item()).toBeCloseTo((norm - 1) ** 2, 12);
  });

  it('its gradient in the critic parameters passes checkGrads at order 2', () => {
    const rng = new Generator(1);
    const model = gan({ dataDim: 2, hidden: [5], activation: tanh });
    const { discriminator } = model.init(rng);
    const real = rng.normal([4, 2]);
    const fake = rng.normal([4, 2]);
    const epsilon = rng.uniform([4, 1]);
    const report = checkGrads(
      (d: typeof discriminator) => gradientPenalty(model, d, real, fake, { epsilon }),
      [discriminator],
      { order: 2 },
    );
    expect(report.ok).toBe(true);
    expect(report.entries.some((e) => e.order === 2)).toBe(true);
  });
});

describe('GAN losses', () => {
  it('the discriminator loss is 2 ln 2 when D is indifferent (logit 0)', () => {
    const rng = new Generator(2);
    const model = gan({ dataDim: 2, hidden: [8] });
    const zeroD = treeMap((p: NDArray) => mul(p, 0), model.init(rng).discriminator);
    const loss = ganDiscriminatorLoss(model, zeroD, rng.normal([6, 2]), rng.normal([6, 2]));
    expect(loss.item()).toBeCloseTo(2 * Math.LN2, 14);
  });
});
