// An RBM trained on 2-D Ising configurations (L = 8) reproduces the physics of its data (Torlai & Melko 2016,
// Phys. Rev. B 94, 165134): samples from the trained machine have the reference ⟨|m|⟩ and ⟨E⟩/N.
//
// Set-up: training data from the Wolff cluster sampler (16 000 configurations one sweep apart), each flipped to
// Σs ≥ 0 (flipToPositiveMagnetization: exact for the zero-field model, whose law is flip-symmetric, and leaves |m|
// and E unchanged); reference values from an independent 2^15-sweep Wolff chain with blocking errors (T = 1.5:
// |m| 0.9865 ± 0.0001, E/N −1.9513 ± 0.0005; T = 2.27: 0.7764 ± 0.0014, −1.4907 ± 0.0022; T = 3.5:
// 0.2506 ± 0.0010, −0.6659 ± 0.0014). Machine: 64 hidden units, centred PCD-1 (Melchior et al. 2016; 100
// persistent chains, batch 50, 8 epochs = 2560 updates), Adam in the centred coordinates with the rate decaying
// 0.01 → 0.001; visible biases start at the data's log-odds. Evaluated by 200 Gibbs chains from random spins,
// 300 steps of burn-in, then 40 measurements 5 steps apart (parallel tempering, temperedSamples, gives the same
// numbers to 0.5 %: the evaluation sampler is not the limit).
//
// Root cause of the earlier failure (|m| +10…+16 % at T = 2.27 on every seed): trainRbm handed Adam the centred
// update already mapped back to (W, a, b); Adam rescales the a- and b-parts independently, which undoes the
// cancellation centring relies on, and the machine ran away from the data's moments: its equilibrium ⟨vᵢ⟩ stayed
// at ≈ 0.97 against the data's 0.89 (sign-flipped data) through every epoch while a was driven ever lower, and
// long Gibbs runs, data-started chains and parallel tempering all agreed on the too-ordered equilibrium — the
// machine, not its sampling, was wrong. Now Adam steps in the centred coordinates (centring.test.ts shows the
// runaway on an exactly enumerable 6-spin ring). Without the sign flip, the two ordered phases of an RBM near T_c
// are separated by a barrier that Gibbs chains do not cross, PCD does not control their relative weight, and
// results scatter from run to run.
//
// Relative errors (|m|, E/N) of this set-up, 2026-12-07, seeds 1 / 2 / 3 (the test runs seed 1):
//  T = 1.5    −0.1/−0.3  −0.1/−0.3  −0.2/−0.4 %
//  T = 2.27   +3.3/−0.8  −1.6/−4.3  +3.2/−1.0 %
//  T = 3.5    not yet within 5 % (so not asserted): |m| within 2-6 % but E/N under-learned by 7-13 %: with the fix,
//             64, 128 or 256 hidden units, with or without the sign flip, 8 or 16 epochs, batch 50-200; before it,
//             PCD-10 (−10.5 %) and parallel tempering in the negative phase (−11.6 %) did no better. The data are
//             within 0.5 % of the reference, a parallel-tempering evaluation agrees with the Gibbs one (−13.1 %
//             against −13.0 %), and the machine's ⟨vh⟩, ⟨v⟩, ⟨h⟩ match the data's to sampling noise: the gap is
//             in learning the short-range correlation (convergence or representation), not in sampling.
// Before the centring fix (Adam on the mapped update), T = 2.27 gave +10.1/+3.9, +16.0/+13.7, +15.5/+14.2 %.
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { blocking } from '../vmc/blocking.js';
import { trainRbm } from './cd.js';
import {
  flipToPositiveMagnetization,
  isingObservables,
  isingSamples,
  isingSeries,
} from './ising.js';
import { type RbmParams, sampleHidden, sampleVisible } from './rbm.js';

const L = 8;

/** ⟨|m|⟩ and ⟨E⟩/N with blocking errors from a long Wolff chain, independent of the training data. */
function reference(T: number) {
  const x = isingSamples({
    rng: new Generator(1000),
    L,
    temperature: T,
    n: 2 ** 15,
    thin: 1,
    burnIn: 500,
    algorithm: 'wolff',
  });
  const s = isingSeries(x, L);
  return { absMagnetization: blocking(s.absMagnetization), energy: blocking(s.energy) };
}

/** Centred PCD-1 with Adam on 16 000 Wolff configurations, each flipped to non-negative magnetisation. */
function train(T: number, rng: Generator): RbmParams {
  const n = 16_000;
  const batchSize = 50;
  const data = flipToPositiveMagnetization(
    isingSamples({
      rng,
      L,
      temperature: T,
      n,
      thin: 1,
      burnIn: 200,
      algorithm: 'wolff',
      encoding: 'binary',
    }),
  );
  const epochs = 8;
  const updates = (epochs * n) / batchSize;
  return trainRbm(data, {
    rng,
    nHidden: 64,
    epochs,
    batchSize,
    k: 1,
    persistentChains: 100,
    centring: { hiddenRate: 0.05 },
    optimizer: adam({ lr: (t) => 0.01 * 0.1 ** (t / updates) }),
  });
}

/** Observables of the trained machine from 200 Gibbs chains started at uniformly random spins (not the data). */
function sampleRbm(params: RbmParams, rng: Generator) {
  const chains = 200;
  const measurements = 40;
  let v: NDArray = fromTypedArray(
    Float64Array.from({ length: chains * L * L }, () => (rng.nextFloat() < 0.5 ? 1 : 0)),
    [chains, L * L],
  );
  const gibbs = () => {
    v = sampleVisible(params, sampleHidden(params, v, rng), rng);
  };
  for (let s = 0; s < 300; s++) gibbs();
  let m = 0;
  let e = 0;
  for (let k = 0; k < measurements; k++) {
    for (let s = 0; s < 5; s++) gibbs();
    const o = isingObservables(v, L);
    m += o.absMagnetization / measurements;
    e += o.energy / measurements;
  }
  return { absMagnetization: m, energy: e };
}

describe('RBM trained on L = 8 Ising samples', () => {
  for (const T of [1.5, 2.27]) {
    it(`reproduces ⟨|m|⟩ and E/N within 5 % at T = ${T}`, () => {
      const cpu0 = process.cpuUsage();
      const ref = reference(T);
      // the reference itself is far more precise than the 5 % asked of the machine
      expect(ref.absMagnetization.error).toBeLessThan(0.005 * ref.absMagnetization.mean);
      expect(ref.energy.error).toBeLessThan(-0.005 * ref.energy.mean);
      const rng = new Generator(1);
      const got = sampleRbm(train(T, rng), rng);
      const cpu = process.cpuUsage(cpu0);
      console.log(
        `T = ${T}: reference |m| ${ref.absMagnetization.mean.toFixed(4)} ± ${ref.absMagnetization.error.toFixed(4)}, E/N ${ref.energy.mean.toFixed(4)} ± ${ref.energy.error.toFixed(4)}; RBM |m| ${got.absMagnetization.toFixed(4)}, E/N ${got.energy.toFixed(4)}; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
      );
      expect(Math.abs(got.absMagnetization / ref.absMagnetization.mean - 1)).toBeLessThan(0.05);
      expect(Math.abs(got.energy / ref.energy.mean - 1)).toBeLessThan(0.05);
    }, 300_000);
  }
});
