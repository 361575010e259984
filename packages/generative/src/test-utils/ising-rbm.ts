// The Ising RBM reproduction shared by ising-rbm.slow.test.ts (T = 1.5, 2.27) and ising-rbm-hot.slow.test.ts
// (T = 3.5): training data, the machine, its evaluation with standard errors, and the 5 % check against the exact
// L = 8 values (the set-up and the numbers are described in ising-rbm.slow.test.ts).
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { expect } from 'vitest';
import { trainRbm } from '../rbm/cd.js';
import { flipToPositiveMagnetization, isingSamples, isingSeries } from '../rbm/ising.js';
import { exactIsingObservables } from '../rbm/ising-exact.js';
import { type RbmParams, sampleHidden, sampleVisible } from '../rbm/rbm.js';
import { independentChainsMean } from '../vmc/independent-chains.js';

const L = 8;

/** One hidden unit per bond (2N = 128); the weakly correlated T = 3.5 needs 32 epochs, the others 8. */
const machine = (T: number) => ({ nHidden: 128, epochs: T > 3 ? 32 : 8 });

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
  const { nHidden, epochs } = machine(T);
  const updates = (epochs * n) / batchSize;
  return trainRbm(data, {
    rng,
    nHidden,
    epochs,
    batchSize,
    k: 1,
    persistentChains: 100,
    centring: { hiddenRate: 0.05 },
    optimizer: adam({ lr: (t) => 0.01 * 0.1 ** (t / updates) }),
  });
}

/**
 * ⟨|m|⟩ and ⟨E⟩/N of the trained machine with standard errors, from 1000 independent Gibbs chains started at
 * uniformly random spins (not the data): 300 steps of burn-in, then 100 measurements 2 steps apart per chain.
 */
function sampleRbm(params: RbmParams, rng: Generator) {
  const chains = 1000;
  const measurements = 100;
  let v: NDArray = fromTypedArray(
    Float64Array.from({ length: chains * L * L }, () => (rng.nextFloat() < 0.5 ? 1 : 0)),
    [chains, L * L],
  );
  const gibbs = () => {
    v = sampleVisible(params, sampleHidden(params, v, rng), rng);
  };
  for (let s = 0; s < 300; s++) gibbs();
  const m = Array.from({ length: chains }, () => new Float64Array(measurements));
  const e = Array.from({ length: chains }, () => new Float64Array(measurements));
  for (let k = 0; k < measurements; k++) {
    for (let s = 0; s < 2; s++) gibbs();
    const o = isingSeries(v, L);
    for (let c = 0; c < chains; c++) {
      m[c]![k] = o.absMagnetization[c]!;
      e[c]![k] = o.energy[c]!;
    }
  }
  return { absMagnetization: independentChainsMean(m), energy: independentChainsMean(e) };
}

/**
 * Trains the machine for temperature T on seed 1, samples it, logs the numbers and asserts ⟨|m|⟩ and ⟨E⟩/N within
 * 5 % of the exact L = 8 values, with evaluation errors below 1 % of them.
 */
export function checkIsingRbm(T: number): void {
  const cpu0 = process.cpuUsage();
  const ref = exactIsingObservables(L, T);
  const rng = new Generator(1);
  const got = sampleRbm(train(T, rng), rng);
  const cpu = process.cpuUsage(cpu0);
  const rel = (x: number, r: number) => `${(100 * (x / r - 1)).toFixed(1)} %`;
  console.log(
    `T = ${T}: exact |m| ${ref.absMagnetization.toFixed(4)}, E/N ${ref.energy.toFixed(4)}; RBM |m| ${got.absMagnetization.mean.toFixed(4)} ± ${got.absMagnetization.error.toFixed(4)} (${rel(got.absMagnetization.mean, ref.absMagnetization)}), E/N ${got.energy.mean.toFixed(4)} ± ${got.energy.error.toFixed(4)} (${rel(got.energy.mean, ref.energy)}); CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
  );
  // the evaluation's own standard error is far below the 5 % asked of the machine
  expect(got.absMagnetization.error).toBeLessThan(0.01 * ref.absMagnetization);
  expect(got.energy.error).toBeLessThan(-0.01 * ref.energy);
  expect(Math.abs(got.absMagnetization.mean / ref.absMagnetization - 1)).toBeLessThan(0.05);
  expect(Math.abs(got.energy.mean / ref.energy - 1)).toBeLessThan(0.05);
}
