// leastSquaresAsync with float32 parameters resident on the GPU (lavapipe in CI): residuals and their
// forward-mode Jacobians are computed on the device and read asynchronously, the normal equations are
// solved on the host in float64; the fit must match the CPU's within float32 tolerance.
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { leastSquares, leastSquaresAsync } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu, relError } from './test-utils/probe.js';

describeWithGpu(
  'leastSquaresAsync on the gpu',
  () => probeGpu({ name: 'webgpu-least-squares-async-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const f32 = { dtype: 'float32' as const };
    // Michaelis–Menten rates with a deterministic perturbation: v = Vmax·S/(Km + S)·(1 + 0.02 sin 5i)
    const S = [0.02, 0.06, 0.11, 0.22, 0.56, 1.1, 2.5, 5, 10, 20];
    const v = S.map((s, i) => ((2.1 * s) / (0.6 + s)) * (1 + 0.02 * Math.sin(5 * i)));
    type P = { vmax: la.NDArray; km: la.NDArray };
    const model = (s: la.NDArray, obs: la.NDArray) => (p: P) =>
      la.sub(la.div(la.mul(p.vmax, s), la.add(p.km, s)), obs);
    const p0 = (backend: string | la.Backend, dtype: 'float32' | 'float64'): P => ({
      vmax: la.full([1], 1, { dtype, backend }),
      km: la.full([1], 1, { dtype, backend }),
    });

    it.each(['lm', 'gauss-newton'] as const)(
      "'%s' on float32 GPU parameters reaches the float64 CPU fit within float32 accuracy",
      async (method) => {
        const ref = leastSquares(model(la.array(S), la.array(v)), p0('cpu', 'float64'), { method });
        expect(ref.success).toBe(true);
        const sg = la.array(S, { ...f32, backend: gpu() });
        const vg = la.array(v, { ...f32, backend: gpu() });
        const res = await leastSquaresAsync(model(sg, vg), p0(gpu(), 'float32'), { method });
        expect(res.x.vmax.backend).toBe(gpu());
        expect(res.x.vmax.dtype).toBe('float32');
        const got = [...(await res.x.vmax.data()), ...(await res.x.km.data())];
        const want = [ref.x.vmax.item(), ref.x.km.item()];
        expect(relError(got, want)).toBeLessThan(1e-4);
        // the reference itself is the known fit (Vmax ≈ 2.1, Km ≈ 0.6 before the 2 % wiggle)
        expect(want[0]).toBeCloseTo(2.1, 1);
        expect(want[1]).toBeCloseTo(0.6, 1);
        expect(Math.abs(res.cost - ref.cost) / ref.cost).toBeLessThan(1e-3);
        expect(
          relError(res.standardErrors!.dataSync(), ref.standardErrors!.dataSync()),
        ).toBeLessThan(1e-2);
      },
    );
  },
);
