// The LASSO solvers with float32 parameters resident on the GPU (lavapipe in CI): f and ∇f (or the residual's
// Jacobian) are computed on the device and read asynchronously; the answer must match the float64 closed form.
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { elasticNetAsync, fistaAsync, lasso, lassoAsync, softThresholdScalar } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from './test-utils/probe.js';

describeWithGpu(
  'LASSO solvers on the gpu',
  () => probeGpu({ name: 'webgpu-lasso-async-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    // an orthogonal design (QᵀQ = I): the LASSO decouples, x*_j = S_λ((Qᵀy)_j), the elastic net divides by 1 + μ
    const rng = new la.Generator(3);
    const { Q } = la.qr(rng.normal([30, 10]));
    const y = rng.normal([30], { std: 2 });
    const qty = la.matmul(y, Q).dataSync();
    const lambda = 1.2;
    const l2 = 0.5;
    const lassoRef = Array.from(qty, (v) => softThresholdScalar(v, lambda));
    const netRef = lassoRef.map((v) => v / (1 + l2));
    const f32 = { dtype: 'float32' as const };
    const Qg = la.toBackend(la.astype(Q, 'float32'), gpu());
    const yg = la.toBackend(la.astype(y, 'float32'), gpu());
    type P = { w: la.NDArray; c: la.NDArray };
    const r = (p: P) =>
      la.sub(
        la.add(
          la.matmul(la.slice(Qg, null, { start: 0, stop: 6 }), la.reshape(p.w, [6])),
          la.matmul(la.slice(Qg, null, { start: 6, stop: 10 }), p.c),
        ),
        yg,
      );
    const start = (): P => ({
      w: la.zeros([2, 3], { ...f32, backend: gpu() }),
      c: la.zeros([4], { ...f32, backend: gpu() }),
    });
    const maxDiff = (a: number[], b: number[]) =>
      a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

    it('fista, lasso (FISTA and coordinate descent) and elasticNet reach the float64 closed form', async () => {
      expect(lassoRef.filter((v) => v === 0).length).toBeGreaterThan(1);
      const runs: [string, Promise<{ x: P; success: boolean }>, number[]][] = [
        [
          'fistaAsync',
          fistaAsync((p: P) => la.mul(0.5, la.sum(la.square(r(p)))), start(), {
            lambda,
            tol: 1e-6,
          }),
          lassoRef,
        ],
        ['lassoAsync fista', lassoAsync(r, start(), { lambda, tol: 1e-6 }), lassoRef],
        [
          'lassoAsync cd',
          lassoAsync(r, start(), { lambda, tol: 1e-6, solver: 'coordinate-descent' }),
          lassoRef,
        ],
        ['elasticNetAsync', elasticNetAsync(r, start(), { lambda, l2, tol: 1e-6 }), netRef],
      ];
      for (const [name, pending, ref] of runs) {
        const res = await pending;
        expect(res.success, name).toBe(true);
        expect(res.x.w.backend).toBe(gpu());
        expect(res.x.w.dtype).toBe('float32');
        const got = [...(await res.x.w.data()), ...(await res.x.c.data())];
        // measured on lavapipe: 9e-8 (coordinate descent) … 4e-7 (elastic net)
        expect(maxDiff(got, ref), name).toBeLessThan(1e-5);
        // exact zeros where the closed form has them
        for (let j = 0; j < 10; j++) if (ref[j] === 0) expect(got[j], `${name} ${j}`).toBe(0);
      }
    });

    it('FISTA on a correlated design follows the float64 CPU solution over many iterations', async () => {
      // columns sharing a common factor: FISTA needs tens of iterations, backtracking and restarts
      const A = la.add(
        Q,
        la.mul(0.6, la.reshape(la.slice(Q, null, { start: 0, stop: 1 }), [30, 1])),
      );
      const ref = lasso(A, y, { lambda, solver: 'coordinate-descent', tol: 1e-14 }).x.dataSync();
      const Ag = la.toBackend(la.astype(A, 'float32'), gpu());
      const res = await lassoAsync(
        (p: { x: la.NDArray }) => la.sub(la.matmul(Ag, p.x), yg),
        {
          x: la.zeros([10], { ...f32, backend: gpu() }),
        },
        { lambda, tol: 1e-6 },
      );
      expect(res.success).toBe(true);
      expect(res.nit).toBeGreaterThan(10);
      const got = Array.from(await res.x.x.data());
      // measured on lavapipe: 25 iterations, max difference 5e-7
      expect(maxDiff(got, Array.from(ref))).toBeLessThan(1e-5);
    });
  },
);
