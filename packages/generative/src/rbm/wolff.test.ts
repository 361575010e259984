import { Generator } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { exactIsing } from '../test-utils/ising-exact.js';
import { blocking } from '../vmc/blocking.js';
import { isingSamples, isingSeries } from './ising.js';
import { wolffUpdate } from './wolff.js';

/** 99 % quantile of χ²(k) by the Wilson–Hilferty cube-root normal approximation (z₀.₉₉ = 2.3263). */
const chi2q99 = (k: number) => k * (1 - 2 / (9 * k) + 2.3263 * Math.sqrt(2 / (9 * k))) ** 3;

describe('Wolff cluster sampler', () => {
  for (const T of [1.5, 2.27, 3.5]) {
    it(`matches the exact L = 4 ⟨|m|⟩ and ⟨E⟩/N at T = ${T} within 4 blocking errors`, () => {
      const rng = new Generator(11);
      const exact = exactIsing(4, T);
      const x = isingSamples({
        rng,
        L: 4,
        temperature: T,
        n: 16384,
        thin: 1,
        burnIn: 100,
        algorithm: 'wolff',
      });
      const series = isingSeries(x, 4);
      for (const key of ['absMagnetization', 'energy'] as const) {
        const b = blocking(series[key]);
        // the bound must be tight enough to mean something: a few ‰ of the value
        expect(b.error).toBeLessThan(0.006);
        expect(Math.abs(b.mean - exact[key])).toBeLessThan(4 * b.error);
      }
    });
  }

  it('samples the Boltzmann distribution over all 512 states of L = 3 (χ² at the 1 % level)', () => {
    // every state's probability e^{−E/T}/Z; the chain is thinned to near-independence so χ² applies
    const L = 3;
    const N = 9;
    const T = 2.27;
    const energyOf = (c: number) => {
      const s = (i: number) => ((c >> i) & 1 ? 1 : -1);
      let e = 0;
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++)
          e -= s(y * L + x) * (s(y * L + ((x + 1) % L)) + s(((y + 1) % L) * L + x));
      return e;
    };
    const w = Array.from({ length: 2 ** N }, (_, c) => Math.exp(-energyOf(c) / T));
    const z = w.reduce((a, b) => a + b, 0);
    const n = 40_000;
    const rng = new Generator(12);
    const spins = Int8Array.from({ length: N }, () => (rng.nextFloat() < 0.5 ? 1 : -1));
    const counts = new Float64Array(2 ** N);
    for (let t = 0; t < 100; t++) wolffUpdate(spins, L, T, rng);
    for (let k = 0; k < n; k++) {
      for (let t = 0; t < 4; t++) wolffUpdate(spins, L, T, rng);
      let c = 0;
      for (let i = 0; i < N; i++) if (spins[i] === 1) c |= 1 << i;
      counts[c]! += 1;
    }
    // states expected fewer than 5 times are pooled into one cell
    let chi2 = 0;
    let cells = 0;
    let pooledObs = 0;
    let pooledExp = 0;
    for (let c = 0; c < 2 ** N; c++) {
      const expected = (n * w[c]!) / z;
      if (expected < 5) {
        pooledObs += counts[c]!;
        pooledExp += expected;
      } else {
        chi2 += (counts[c]! - expected) ** 2 / expected;
        cells++;
      }
    }
    if (pooledExp > 0) {
      chi2 += (pooledObs - pooledExp) ** 2 / pooledExp;
      cells++;
    }
    expect(cells).toBeGreaterThan(100);
    expect(chi2).toBeLessThan(chi2q99(cells - 1));
  });

  it('agrees with Metropolis on L = 6 at T = 2.27', () => {
    const rng = new Generator(13);
    const opts = { rng, L: 6, temperature: 2.27, n: 4096, thin: 2, burnIn: 200 } as const;
    const wolff = isingSeries(isingSamples({ ...opts, algorithm: 'wolff' }), 6);
    const metro = isingSeries(isingSamples({ ...opts, algorithm: 'metropolis' }), 6);
    for (const key of ['absMagnetization', 'energy'] as const) {
      const a = blocking(wolff[key]);
      const b = blocking(metro[key]);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.hypot(a.error, b.error));
      // and the cluster chain is the less correlated one (critical slowing down)
      expect(a.error).toBeLessThan(b.error);
    }
  });

  it('names bad arguments', () => {
    const rng = new Generator(0);
    expect(() => wolffUpdate(new Int8Array(8), 3, 2, rng)).toThrow(/wolffUpdate.*L·L = 9/);
    expect(() => wolffUpdate(new Int8Array(9).fill(1), 3, Number.NaN, rng)).toThrow(
      /wolffUpdate.*temperature/,
    );
    expect(() =>
      isingSamples({ rng, L: 4, temperature: 2, n: 1, algorithm: 'heat-bath' as 'wolff' }),
    ).toThrow(/isingSamples.*algorithm/);
  });
});
