import { describeWithGpu } from '@sciml/config/test-helpers';
import { Generator, philox4x32 } from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { randomBits, randomNormal, randomUniform } from './index.js';
import { probeGpu } from './test-utils/probe.js';

/** The words the GPU must produce: block c + counter under key (seed lo, seed hi), words in order. */
function referenceWords(n: number, seed: number, counter = 0): Uint32Array {
  const out = new Uint32Array(n);
  const block = new Uint32Array(4);
  for (let b = 0; b * 4 < n; b++) {
    const c = counter + b;
    philox4x32(
      c >>> 0,
      Math.floor(c / 2 ** 32) >>> 0,
      0,
      0,
      seed >>> 0,
      Math.floor(seed / 2 ** 32) >>> 0,
      block,
    );
    for (let q = 0; q < 4 && b * 4 + q < n; q++) out[b * 4 + q] = block[q]!;
  }
  return out;
}

describeWithGpu(
  'Philox4x32-10 on the GPU',
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it.each([1, 7, 33, 1000])(
      'matches @sciml/linalg philox4x32 bit for bit (n = %i)',
      async (n) => {
        for (const [seed, counter] of [
          [0, 0],
          [42, 5],
          [2 ** 40 + 3, 2 ** 32 - 2], // 64-bit key and a counter that carries into its high word
        ] as const) {
          const bits = await randomBits([n], { seed, counter, backend: gpu() }).data();
          expect(Array.from(new Uint32Array(bits.buffer, bits.byteOffset, n))).toEqual(
            Array.from(referenceWords(n, seed, counter)),
          );
        }
      },
    );

    it('uniform is (w >> 8)·2⁻²⁴ mapped to [low, high), exactly', async () => {
      const n = 1000;
      const u = await randomUniform([n], { seed: 7, backend: gpu() }).data();
      const w = referenceWords(n, 7);
      for (let i = 0; i < n; i++) expect(u[i]).toBe(Math.fround((w[i]! >>> 8) / 2 ** 24));
      const v = await randomUniform([10, 100], {
        seed: 7,
        low: -2,
        high: 2,
        backend: gpu(),
      }).data();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...v)).toBeLessThan(2);
    });

    it('normal: Box–Muller of the same words, with the right moments', async () => {
      const n = 40_000;
      const z = Array.from(
        await randomNormal([n], { seed: 3, mean: 1, std: 2, backend: gpu() }).data(),
      );
      const w = referenceWords(8, 3);
      const unit = (x: number) => (x >>> 8) / 2 ** 24;
      const r = Math.sqrt(-2 * Math.log(1 - unit(w[0]!)));
      expect(z[0]).toBeCloseTo(1 + 2 * r * Math.cos(2 * Math.PI * unit(w[1]!)), 4);
      expect(z[1]).toBeCloseTo(1 + 2 * r * Math.sin(2 * Math.PI * unit(w[1]!)), 4);
      const mean = z.reduce((s, v) => s + v, 0) / n;
      const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      // standard errors: 2/√n for the mean, about 4·√(2/n) for the variance
      expect(Math.abs(mean - 1)).toBeLessThan(5 * (2 / Math.sqrt(n)));
      expect(Math.abs(variance - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / n));
    });

    it('the same seed gives the same numbers; rejects bad seeds', async () => {
      const a = await randomNormal([33], { seed: 11, backend: gpu() }).data();
      const b = await randomNormal([33], { seed: 11, backend: gpu() }).data();
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(() => randomUniform([2], { seed: -1, backend: gpu() })).toThrow(/seed/);
    });

    it('rng: draws continue the generator’s stream, bit for bit as Generator.deviceUniform on the CPU', async () => {
      const rng = new Generator(21);
      const first = await randomUniform([10], { rng, backend: gpu() }).data();
      const second = await randomUniform([6], { rng, low: -1, high: 1, backend: gpu() }).data();
      const host = new Generator(21);
      expect(Array.from(first)).toEqual(Array.from(host.deviceUniform([10]).dataSync()));
      expect(Array.from(second)).toEqual(
        Array.from(host.deviceUniform([6], { low: -1, high: 1 }).dataSync()),
      );
      // the generator moved past the 3 + 2 blocks it handed out
      expect(rng.nextUint32()).toBe(referenceWords(24, 21)[20]);
    });

    it('Generator.deviceUniform/deviceNormal run the kernel on the GPU and match the CPU reference', async () => {
      const u = new Generator(4).deviceUniform([2, 50], { backend: gpu() });
      expect(u.backend).toBe(gpu());
      expect(Array.from(await u.data())).toEqual(
        Array.from(new Generator(4).deviceUniform([2, 50]).dataSync()),
      );
      const z = await new Generator(4)
        .deviceNormal([101], { backend: gpu(), mean: 1, std: 3 })
        .data();
      const ref = new Generator(4).deviceNormal([101], { mean: 1, std: 3 }).dataSync();
      let worst = 0;
      ref.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(z[i]! - v) / Math.max(1, Math.abs(v)));
      });
      expect(worst).toBeLessThan(1e-5);
    });

    it('needs rng (or the deprecated seed) and refuses a non-generator', () => {
      expect(() => randomUniform([2], { backend: gpu() })).toThrow(/rng/);
      expect(() => randomNormal([2], { rng: 3 as never, backend: gpu() })).toThrow(/Generator/);
    });
  },
);
