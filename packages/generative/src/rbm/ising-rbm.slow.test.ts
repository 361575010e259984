// An RBM trained on 2-D Ising configurations (L = 8) reproduces the physics of its data (Torlai & Melko 2016,
// Phys. Rev. B 94, 165134): samples from the trained machine have the data's mean |m| and energy per spin.
// Here at T = 1.5 (ordered phase), where the budget below meets 5 %. At T = 2.27 and 3.5 no budget tried within
// ~30 s of CPU per temperature meets 5 % on every random stream (measured 2026-12-06, 64 hidden units, data =
// the Metropolis sampler's own ⟨|m|⟩, ⟨E⟩/N; 400 RBM chains from random spins, 300-1500 steps of burn-in):
//  - T = 2.27 (data |m| ≈ 0.77-0.80, E/N ≈ −1.48…−1.52; Onsager's infinite lattice: E/N = −√2 ≈ −1.414 at T_c):
//    PCD-1, 50 chains, batch 25, 10 000 configurations 20 sweeps apart, 20 epochs, momentum 0.5 with a cosine-decayed
//    rate 0.3 → 0.015 (~10-15 s CPU): relative errors (|m|, E) +3.6/−1.9 %, −0.1/−3.4 % on two streams but
//    −14.3/−11.0 % on another; averaging the last 6 epochs' parameters (+6.6/+0.5, +5.3/−1.1, −8.1/−17.1 % for
//    seeds 1-3) or PCD-5 for 60 epochs on 2000 configurations (~16 s; −7.0/−10.2, +5.4/−2.4, −1.5/−5.6 %) leave
//    the same spread.
//  - T = 3.5 (data |m| ≈ 0.25-0.26, E/N ≈ −0.67): |m| within 1-12 % but E/N under-learned by 6-38 % in 14 runs
//    (PCD-1/5, 64 or 128 hidden, SGD-momentum or Adam, up to 24 000 updates): the machine's effective couplings stay
//    too spread out to give the nearest-neighbour correlation ⟨sᵢsⱼ⟩ ≈ 0.34.
// So the criterion is met at T = 1.5 only; T = 2.27 and 3.5 need a longer (or smarter) training schedule.
import { Generator, fromTypedArray } from '@sciml/linalg';
import { momentum } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { trainRbm } from './cd.js';
import { isingObservables, isingSamples } from './ising.js';
import { sampleHidden, sampleVisible } from './rbm.js';

describe('RBM trained on L = 8 Ising samples', () => {
  it('reproduces ⟨|m|⟩ and E/N within 5 % at T = 1.5', () => {
    const rng = new Generator(1);
    const L = 8;
    const data = isingSamples({ rng, L, temperature: 1.5, n: 2000, encoding: 'binary', thin: 5 });
    const ref = isingObservables(data, L);
    const params = trainRbm(data, {
      rng,
      nHidden: 64,
      epochs: 20,
      batchSize: 50,
      k: 5,
      persistentChains: 100,
      optimizer: momentum({ lr: 0.02, momentum: 0.5 }),
    });
    // Gibbs chains from uniformly random spins, not from the data
    let v = fromTypedArray(
      Float64Array.from({ length: 400 * L * L }, () => (rng.nextFloat() < 0.5 ? 1 : 0)),
      [400, L * L],
    );
    for (let s = 0; s < 300; s++) v = sampleVisible(params, sampleHidden(params, v, rng), rng);
    const got = isingObservables(v, L);
    console.log(
      `T = 1.5: data |m| ${ref.absMagnetization.toFixed(4)} E ${ref.energy.toFixed(4)}; RBM |m| ${got.absMagnetization.toFixed(4)} E ${got.energy.toFixed(4)}`,
    );
    expect(Math.abs(got.absMagnetization / ref.absMagnetization - 1)).toBeLessThan(0.05);
    expect(Math.abs(got.energy / ref.energy - 1)).toBeLessThan(0.05);
  }, 120_000);
});
