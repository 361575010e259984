// An RBM trained on 2-D Ising configurations (L = 8) reproduces the physics of its data (Torlai & Melko 2016,
// Phys. Rev. B 94, 165134): samples from the trained machine have the reference ⟨|m|⟩ and ⟨E⟩/N.
//
// Set-up: training data from the Wolff cluster sampler (16 000 configurations one sweep apart; Wolff beats the
// critical slowing down of single-spin Metropolis); reference values from an independent 2^15-sweep Wolff
// chain with blocking errors (T = 1.5: |m| 0.9865 ± 0.0001, E/N −1.9513 ± 0.0005; T = 2.27: 0.7764 ± 0.0014,
// −1.4907 ± 0.0022; T = 3.5: 0.2506 ± 0.0010, −0.6659 ± 0.0014). Machine: 64 hidden units, centred PCD-1
// (Melchior et al. 2016; 100 persistent chains, batch 50, 4 epochs = 1280 updates), Adam with the rate decaying
// 0.01 → 0.0005; evaluated by 200 Gibbs chains from random spins, 300 steps of burn-in, then 40 measurements
// 5 steps apart.
//
// Relative errors (|m|, E/N) measured in development, 2026-12-07, seeds 1 / 2 / 3:
//  T = 1.5   this set-up:                                +1.3/+2.4  +0.5/+0.7  +0.9/+1.5 %   (asserted below)
//  T = 2.27  this set-up:                                +10.1/+3.9 +16.0/+13.7 +15.5/+14.2 %
//            128 hidden:                                 +10.0/+6.6 +14.5/+20.0 +14.0/+20.0 %
//            PCD-5:                                      +9.4/+3.7  +16.6/+15.5 +13.9/+12.4 %
//            final rate 5e-5:                            +7.1/−4.6  +14.2/+6.6  +13.7/+6.2 %
//            uncentred SGD-momentum 0.3 → 0.015, 128 hidden, batch 25, 50 chains:
//                                                        −0.8/−1.6  −19.2/−19.7 +6.0/−6.2 %
//  T = 3.5   this set-up:                                +5.5/−11.8 +0.6/−9.7   +1.1/−9.0 %
//            128 hidden (seeds 1, 2):                    +4.5/−7.0  −0.5/−4.8 %
//  Polyak averaging of the parameters (trainRbm averageLast 0.5) makes a spuriously ordered machine at T = 3.5
//  (+84 % / +64 % for seed 1): the iterates wander too far for their mean to be a good RBM.
// So the criterion is met at T = 1.5 on every seed tried. Near T_c centred PCD over-orders the machine
// on every seed (persistent chains that mix faster than the model they track — the "fast weights" bias of
// PCD at a finite rate), uncentred PCD scatters by ±20 %; at T = 3.5 the nearest-neighbour correlation
// stays under-learned by 5-12 % within this budget. Both need a longer schedule or better negative-phase
// sampling (e.g. parallel tempering) than a ≤ 60 s test allows.
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { blocking } from '../vmc/blocking.js';
import { trainRbm } from './cd.js';
import { isingObservables, isingSamples, isingSeries } from './ising.js';
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

/** Centred PCD-1 with Adam on 16 000 Wolff configurations. */
function train(T: number, rng: Generator): RbmParams {
  const n = 16_000;
  const batchSize = 50;
  const data = isingSamples({
    rng,
    L,
    temperature: T,
    n,
    thin: 1,
    burnIn: 200,
    algorithm: 'wolff',
    encoding: 'binary',
  });
  const epochs = 4;
  const updates = (epochs * n) / batchSize;
  return trainRbm(data, {
    rng,
    nHidden: 64,
    epochs,
    batchSize,
    k: 1,
    persistentChains: 100,
    centring: { hiddenRate: 0.05 },
    optimizer: adam({ lr: (t) => 0.01 * 0.05 ** (t / updates) }),
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
  it('reproduces ⟨|m|⟩ and E/N within 5 % at T = 1.5', () => {
    const cpu0 = process.cpuUsage();
    const T = 1.5;
    const ref = reference(T);
    // the reference itself is far more precise than the 5 % asked of the machine
    expect(ref.absMagnetization.error).toBeLessThan(0.002 * ref.absMagnetization.mean);
    expect(ref.energy.error).toBeLessThan(-0.002 * ref.energy.mean);
    const rng = new Generator(1);
    const got = sampleRbm(train(T, rng), rng);
    const cpu = process.cpuUsage(cpu0);
    console.log(`CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
    console.log(
      `T = ${T}: reference |m| ${ref.absMagnetization.mean.toFixed(4)} ± ${ref.absMagnetization.error.toFixed(4)}, E/N ${ref.energy.mean.toFixed(4)} ± ${ref.energy.error.toFixed(4)}; RBM |m| ${got.absMagnetization.toFixed(4)}, E/N ${got.energy.toFixed(4)}`,
    );
    expect(Math.abs(got.absMagnetization / ref.absMagnetization.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(got.energy / ref.energy.mean - 1)).toBeLessThan(0.05);
  }, 300_000);
});
