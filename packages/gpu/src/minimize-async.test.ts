// minimizeAsync with parameters resident on the GPU (lavapipe in CI): the values f and ∇f are computed on the
// device and read asynchronously; the results must match the CPU's within float32 tolerance.
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { minimize, minimizeAsync } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu, relError } from './test-utils/probe.js';

describeWithGpu(
  'minimizeAsync on the gpu',
  () => probeGpu({ name: 'webgpu-minimize-async-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const f32 = { dtype: 'float32' as const };
    const rng = new la.Generator(7);
    const X = rng.normal([40, 3], f32);
    const y = la.add(
      la.matmul(X, la.array([1.5, -2, 0.5], f32)),
      rng.normal([40], { ...f32, std: 0.1 }),
    );
    const Xg = la.toBackend(X, gpu());
    const yg = la.toBackend(y, gpu());
    const model = (Xs: la.NDArray, ys: la.NDArray) => (p: { w: la.NDArray; b: la.NDArray }) =>
      la.mean(la.square(la.sub(la.add(la.matmul(Xs, p.w), p.b), ys)));

    it('L-BFGS on GPU-resident parameters reaches the least-squares solution', async () => {
      const p0 = {
        w: la.zeros([3], { ...f32, backend: gpu() }),
        b: la.zeros([1], { ...f32, backend: gpu() }),
      };
      const res = await minimizeAsync(model(Xg, yg), p0, { gtol: 1e-5 });
      expect(res.success).toBe(true);
      expect(res.x.w.backend).toBe(gpu());
      expect(res.x.w.dtype).toBe('float32');
      // the closed form: lstsq of [X 1] against y, in float64 on the CPU
      const A = la.concat([la.astype(X, 'float64'), la.ones([40, 1])], { axis: 1 });
      const ref = la.lstsq(A, la.astype(y, 'float64')).x.dataSync();
      const got = [...(await res.x.w.data()), ...(await res.x.b.data())];
      expect(relError(got, ref)).toBeLessThan(1e-4);
    });

    it('gradient descent on the GPU follows the CPU float32 run step for step', async () => {
      // a fixed step takes no decisions on the values, so the two runs differ only by float32 rounding
      const hidden = {
        W1: rng.normal([3, 8], { ...f32, std: 0.5 }),
        W2: rng.normal([8], { ...f32, std: 0.3 }),
      };
      const mlp = (Xs: la.NDArray, ys: la.NDArray) => (p: typeof hidden) =>
        la.mean(la.square(la.sub(la.matmul(la.tanh(la.matmul(Xs, p.W1)), p.W2), ys)));
      const opts = { method: 'gd' as const, stepSize: 0.05, maxIter: 30, gtol: 0 };
      const cpu = minimize(mlp(X, y), hidden, opts);
      const onGpu: typeof hidden = {
        W1: la.toBackend(hidden.W1, gpu()) as la.NDArray<'float32'>,
        W2: la.toBackend(hidden.W2, gpu()) as la.NDArray<'float32'>,
      };
      const res = await minimizeAsync(mlp(Xg, yg), onGpu, opts);
      expect(res.nit).toBe(30);
      expect(Math.abs(res.fun - cpu.fun) / cpu.fun).toBeLessThan(1e-4);
      expect(relError(await res.x.W1.data(), cpu.x.W1.dataSync())).toBeLessThan(1e-4);
      expect(cpu.fun).toBeLessThan(mlp(X, y)(hidden).item() / 2);
    });

    it('second-order methods on float32 GPU parameters reach the float64 CPU minimiser of a logistic regression', async () => {
      // ridge-regularised logistic regression: strictly convex, so every method has one answer to reach
      const Xl = rng.normal([60, 3], f32);
      const margin = la.add(la.matmul(Xl, la.array([1, -2, 0.5], f32)), rng.normal([60], f32));
      const labels = la.sub(la.mul(2, la.astype(la.greater(margin, 0), 'float32')), 1);
      const logistic = (Xs: la.NDArray, ys: la.NDArray) => (p: { w: la.NDArray; b: la.NDArray }) =>
        la.add(
          la.mean(la.log(la.add(1, la.exp(la.neg(la.mul(ys, la.add(la.matmul(Xs, p.w), p.b))))))),
          la.mul(0.05, la.sum(la.square(p.w))),
        );
      const cpu = minimize(
        logistic(la.astype(Xl, 'float64'), la.astype(labels, 'float64')),
        { w: la.zeros([3]), b: la.zeros([1]) },
        { method: 'newton', gtol: 1e-12 },
      );
      expect(cpu.success).toBe(true);
      const ref = [...cpu.x.w.dataSync(), ...cpu.x.b.dataSync()];
      const fOnGpu = logistic(la.toBackend(Xl, gpu()), la.toBackend(labels, gpu()));
      const methods = [
        'newton',
        'newton-cg',
        'trust-ncg',
        'trust-krylov',
        'dogleg',
        'trust-exact',
      ] as const;
      for (const method of methods) {
        const res = await minimizeAsync(
          fOnGpu,
          {
            w: la.zeros([3], { ...f32, backend: gpu() }),
            b: la.zeros([1], { ...f32, backend: gpu() }),
          },
          { method, gtol: 1e-5 },
        );
        expect(res.success, `${method}: ${res.message}`).toBe(true);
        expect(res.nhev).toBeGreaterThan(0);
        expect(res.x.w.backend).toBe(gpu());
        expect(res.x.w.dtype).toBe('float32');
        const got = [...(await res.x.w.data()), ...(await res.x.b.data())];
        // measured on lavapipe: 8e-8 (newton) … 3e-5 (dogleg, which stops first, at ‖∇f‖∞ = 5e-6)
        expect(relError(got, ref), method).toBeLessThan(1e-4);
        expect(Math.abs(res.fun - cpu.fun) / cpu.fun).toBeLessThan(1e-5);
      }
    });
  },
);
