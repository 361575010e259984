import { Generator, fromTypedArray } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { allBinary } from '../test-utils/all-binary.js';
import { trainRbm } from './cd.js';
import { rbmLogZ } from './log-partition.js';
import { freeEnergy } from './rbm.js';

const nv = 6;

/**
 * Exact p(v) of a 6-spin periodic Ising ring, p ∝ e^{K Σ sᵢsᵢ₊₁ + h Σ sᵢ} with s = 2v − 1, by enumeration:
 * strongly coupled and magnetised data, the regime in which centring matters.
 */
function ringDistribution(K: number, h: number): Float64Array {
  const w = new Float64Array(2 ** nv);
  for (let c = 0; c < 2 ** nv; c++) {
    let e = 0;
    for (let i = 0; i < nv; i++) {
      const s = ((c >> i) & 1) * 2 - 1;
      const t = ((c >> ((i + 1) % nv)) & 1) * 2 - 1;
      e += K * s * t + h * s;
    }
    w[c] = Math.exp(e);
  }
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/** ⟨vᵢ⟩ and ⟨vᵢvᵢ₊₁⟩ (averaged over i) of a distribution over the 64 states. */
function moments(p: ArrayLike<number>) {
  let m = 0;
  let c = 0;
  for (let s = 0; s < 2 ** nv; s++)
    for (let i = 0; i < nv; i++) {
      m += (p[s]! * ((s >> i) & 1)) / nv;
      c += (p[s]! * ((s >> i) & 1) * ((s >> ((i + 1) % nv)) & 1)) / nv;
    }
  return { mean: m, neighbour: c };
}

describe('centred training with an adaptive optimiser', () => {
  it('Adam on centred PCD reaches the data moments of a strongly coupled ring (exact enumeration)', () => {
    const target = ringDistribution(1, 0.2);
    const want = moments(target);
    // 3000 exact draws from the ring distribution
    const rng = new Generator(11);
    const cdf = Array.from(target);
    for (let s = 1; s < cdf.length; s++) cdf[s] = cdf[s]! + cdf[s - 1]!;
    const n = 3000;
    const rows = new Float64Array(n * nv);
    for (let r = 0; r < n; r++) {
      const u = rng.nextFloat();
      let s = 0;
      while (s < cdf.length - 1 && cdf[s]! < u) s++;
      for (let i = 0; i < nv; i++) rows[r * nv + i] = (s >> i) & 1;
    }
    const data = fromTypedArray(rows, [n, nv]);
    const epochs = 20;
    const updates = (epochs * n) / 50;
    const trained = trainRbm(data, {
      rng,
      nHidden: 8,
      epochs,
      batchSize: 50,
      persistentChains: 100,
      centring: true,
      optimizer: adam({ lr: (t) => 0.02 * 0.05 ** (t / updates) }),
    });
    const logZ = rbmLogZ(trained);
    const f = freeEnergy(trained, allBinary(nv)).dataSync();
    const got = moments(Array.from(f, (x) => Math.exp(-Number(x) - logZ)));
    // sampling error of 3000 draws ≈ 0.01; the machine's moments within twice that
    expect(Math.abs(got.mean - want.mean)).toBeLessThan(0.02);
    expect(Math.abs(got.neighbour - want.neighbour)).toBeLessThan(0.02);
  });
});
