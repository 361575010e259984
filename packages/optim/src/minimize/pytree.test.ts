import { valueAndGrad } from '@sciml/autodiff';
import {
  type NDArray,
  BackendError,
  Generator,
  add,
  array,
  linspace,
  matmul,
  mean,
  mul,
  reshape,
  sin,
  square,
  sub,
  sum,
  tanh,
  zeros,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { type MinimizeMethod, minimize } from './minimize.js';
import { projectBox } from './projections.js';

/** A quadratic over a pytree: ½‖a − (1, −2)‖² + ½·3‖B − [[0.5, 0], [0, −0.5]]‖², minimum known exactly. */
interface Quad {
  a: NDArray;
  nested: { B: NDArray };
}
const aStar = array([1, -2]);
const bStar = array([
  [0.5, 0],
  [0, -0.5],
]);
const quad = (p: Quad) =>
  add(mul(0.5, sum(square(sub(p.a, aStar)))), mul(1.5, sum(square(sub(p.nested.B, bStar)))));
const start = (): Quad => ({ a: zeros([2]), nested: { B: zeros([2, 2]) } });

describe('minimize over pytrees', () => {
  const methods: [MinimizeMethod, object][] = [
    ['gd', {}],
    ['cg', {}],
    ['bfgs', {}],
    ['lbfgs', {}],
    ['newton', {}],
    ['sr1', {}],
    ['newton-cg', {}],
    ['trust-ncg', {}],
    ['trust-krylov', {}],
    ['dogleg', {}],
    ['l-bfgs-b', { bounds: { lower: [-5, -5, -5, -5, -5, -5], upper: [5, 5, 5, 5, 5, 5] } }],
    ['projected-gradient', { project: projectBox(-5, 5) }],
  ];
  it.each(methods)('%s returns the start value’s structure at the minimum', (method, extra) => {
    const res = minimize(quad, start(), { method, gtol: 1e-8, ...extra });
    expect(res.success).toBe(true);
    expect(res.x.a.shape).toEqual([2]);
    expect(res.x.nested.B.shape).toEqual([2, 2]);
    const err = Math.max(
      ...Array.from(sub(res.x.a, aStar).dataSync(), Math.abs),
      ...Array.from(sub(res.x.nested.B, bStar).dataSync(), Math.abs),
    );
    expect(err).toBeLessThan(1e-6);
    expect(res.grad.nested.B.shape).toEqual([2, 2]);
  });

  it('keeps float32 leaves float32 and accepts a tree-valued jac', () => {
    const p0: { w: NDArray } = { w: zeros([3], { dtype: 'float32' }) };
    const target = array([0.25, -1, 2], { dtype: 'float32' });
    const f = (p: { w: NDArray }) => sum(square(sub(p.w, target)));
    const res = minimize(f, p0, { jac: (p) => ({ w: mul(2, sub(p.w, target)) }) });
    expect(res.success).toBe(true);
    expect(res.x.w.dtype).toBe('float32');
    expect(Array.from(res.x.w.dataSync())).toEqual([0.25, -1, 2]);
    // a valueAndGrad over the tree works too
    const viaVG = minimize(f, p0, { valueAndGrad: valueAndGrad(f) as never, method: 'bfgs' });
    expect(Array.from(viaVG.x.w.dataSync())).toEqual([0.25, -1, 2]);
  });

  it('an NDArray of any shape is a one-leaf tree: the result keeps its shape', () => {
    const res = minimize((m: NDArray) => sum(square(sub(m, bStar))), zeros([2, 2]));
    expect(res.x.shape).toEqual([2, 2]);
    expect(res.x.toNested()).toEqual([
      [0.5, 0],
      [0, -0.5],
    ]);
  });

  it('refuses trees on an asynchronously read backend with the fix', async () => {
    const { cpuBackend, registerBackend, unregisterBackend } = await import('@sciml/linalg');
    const asyncHost = { ...cpuBackend, name: 'async-host-optim', downloadSync: undefined };
    registerBackend(asyncHost);
    try {
      const p0 = { w: zeros([2], { backend: asyncHost }) };
      expect(() => minimize((p: { w: NDArray }) => sum(p.w), p0)).toThrow(BackendError);
      expect(() => minimize((p: { w: NDArray }) => sum(p.w), p0)).toThrow(/minimizeAsync/);
    } finally {
      unregisterBackend(asyncHost.name);
    }
  });
});

describe("minimize('lbfgs') trains an MLP's parameter tree", () => {
  it('fits sin(x) on [−π, π] to a mean squared error ≤ 1e-6', () => {
    const rng = new Generator(3);
    const hidden = 12;
    const x = reshape(linspace(-Math.PI, Math.PI, 40), [40, 1]);
    const y = sin(x);
    const params = {
      layers: [
        { W: rng.normal([1, hidden], { std: 1 }), b: rng.normal([hidden], { std: 0.5 }) },
        { W: rng.normal([hidden, 1], { std: 1 / Math.sqrt(hidden) }), b: zeros([1]) },
      ],
    };
    type Params = typeof params;
    const predict = (p: Params) => {
      const [l1, l2] = p.layers;
      return add(matmul(tanh(add(matmul(x, l1!.W), l1!.b)), l2!.W), l2!.b);
    };
    const loss = (p: Params) => mean(square(sub(predict(p), y)));
    const res = minimize(loss, params, { method: 'lbfgs', gtol: 1e-10, maxIter: 4000 });
    expect(res.fun).toBeLessThanOrEqual(1e-6);
    expect(loss(res.x).item()).toBeCloseTo(res.fun, 15);
    expect(res.x.layers[0]!.W.shape).toEqual([1, hidden]);
    expect(res.x.layers[1]!.b.shape).toEqual([1]);
  });
});
