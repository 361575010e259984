// The optimisers' non-finite-gradient policy on a GPU, where values cannot be read synchronously:
// `nonFinite: 'skip'` masks the update on the device and flags the step in `state.finite`.
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from './test-utils/probe.js';

describeWithGpu(
  "optimiser nonFinite: 'skip' on the gpu",
  () => probeGpu({ name: 'webgpu-optim-nonfinite-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const on = () => ({ dtype: 'float32' as const, backend: gpu() });

    it('a NaN gradient leaves parameters and moments as they were, and the flag says so', async () => {
      const opt = adam({ lr: 0.1, nonFinite: 'skip' });
      const params = { w: la.array([1, 2], on()) };
      const s0 = opt.init(params);
      const bad = opt.update(params, { w: la.array([0.5, Number.NaN], on()) }, s0);
      expect(Array.from(await bad.params.w.data())).toEqual([1, 2]);
      expect(Array.from(await (bad.state.slots.m as { w: la.NDArray }).w.data())).toEqual([0, 0]);
      expect(Array.from(await bad.state.finite!.data())).toEqual([0]);
      // a finite gradient next, with zero moments: the step count advanced on the device (t = 2), so
      // θ − η m̂/(√v̂ + ε) with m̂ = (1−β₁)g/(1−β₁²), v̂ = (1−β₂)g²/(1−β₂²)
      const good = opt.update(bad.params, { w: la.array([0.5, -2], on()) }, bad.state);
      expect(good.state.step).toBe(2);
      const expected = [0.5, -2].map((g, i) => {
        const mHat = (0.1 * g) / (1 - 0.9 ** 2);
        const vHat = (0.001 * g * g) / (1 - 0.999 ** 2);
        return [1, 2][i]! - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8);
      });
      const w = Array.from(await good.params.w.data());
      expect(w[0]).toBeCloseTo(expected[0]!, 5);
      expect(w[1]).toBeCloseTo(expected[1]!, 5);
      expect(Array.from(await good.state.finite!.data())).toEqual([1]);
    });
  },
);
