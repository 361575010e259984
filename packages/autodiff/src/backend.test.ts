/**
 * Rules use only the backend interface: on a backend without synchronous reads (as a GPU's), every
 * transform runs, and gives the CPU's numbers. A rule that read values on the host would throw here.
 */
import {
  type Backend,
  type NDArray,
  add,
  cholesky,
  cpuBackend,
  exp,
  fromTypedArray,
  logsumexp,
  luFactor,
  matmul,
  max,
  mean,
  mT,
  mul,
  slice,
  solveTriangular,
  sum,
  take,
  tanh,
  where,
  greater,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { jvp } from './transforms/forward.js';
import { hessian, jacobian } from './transforms/jacobian.js';
import { grad } from './transforms/reverse.js';
import { spd, uniform } from './test-utils/random.js';

/** The CPU kernels behind an interface that, like a device backend, can only be read asynchronously. */
const deviceLike: Backend = {
  name: 'device-like',
  dtypes: cpuBackend.dtypes,
  upload: (values) => values.slice(),
  download: async (handle) => (handle as Float64Array).slice(),
  free: () => {},
  supports: (p) => cpuBackend.supports(p),
  execute: (p, inputs, params, outputs) => cpuBackend.execute(p, inputs, params, outputs),
};

const onDevice = (x: NDArray): NDArray =>
  fromTypedArray((x.dataSync() as Float64Array).slice(), x.shape, { backend: deviceLike });

async function expectSame(device: NDArray, cpu: NDArray): Promise<void> {
  expect(device.backend.name).toBe('device-like');
  const a = await device.data();
  const b = cpu.dataSync();
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i]!)));
}

describe('on a backend without synchronous reads', () => {
  const f = (w: NDArray, x: NDArray) => {
    const h = tanh(add(matmul(x, w), slice(w, 0)));
    // index arrays live on the backend too
    const idx = fromTypedArray(Int32Array.from([1, 1]), [2], { backend: w.backend });
    return add(mean(mul(h, h)), add(logsumexp(h), sum(take(max(exp(h), { axis: 0 }), idx))));
  };
  const w = uniform([3, 3], -1, 1, 60);
  const x = uniform([4, 3], -1, 1, 61);

  it('grad, hessian and jvp match the CPU', async () => {
    await expectSame(grad(f)(onDevice(w), onDevice(x)), grad(f)(w, x));
    const v = uniform([3, 3], -1, 1, 62);
    const xd = onDevice(x);
    await expectSame(
      jvp((z: NDArray) => f(z, xd), [onDevice(w)], [onDevice(v)])[1],
      jvp((z: NDArray) => f(z, x), [w], [v])[1],
    );
    const g = (z: NDArray) => sum(where(greater(z, 0), mul(z, mul(z, z)), exp(z)));
    const z = uniform([4], -1, 1, 63);
    await expectSame(hessian(g)(onDevice(z)), hessian(g)(z));
  });

  it('matrix rules (cholesky, triangular solves) match the CPU', async () => {
    const a = spd(3, 64);
    const h = (m: NDArray) =>
      sum(solveTriangular(cholesky(mul(add(m, mT(m)), 0.5)), uniform([3, 2], -1, 1, 66)));
    const dev = (m: NDArray) =>
      sum(solveTriangular(cholesky(mul(add(m, mT(m)), 0.5)), onDevice(uniform([3, 2], -1, 1, 66))));
    await expectSame(grad(dev)(onDevice(a)), grad(h)(a));
    await expectSame(
      jacobian(dev, { mode: 'forward' })(onDevice(a)),
      jacobian(h, { mode: 'forward' })(a),
    );
    const packed = (m: NDArray) => sum(mul(luFactor(m).lu, luFactor(m).lu));
    await expectSame(grad(packed)(onDevice(a)), grad(packed)(a));
  });
});
