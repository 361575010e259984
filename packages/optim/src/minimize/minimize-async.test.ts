// minimizeAsync on a backend without synchronous reads. The CPU backend with `downloadSync` removed stands
// in for a GPU here (same float64 arithmetic, so the async run must retrace the sync one exactly); the
// real GPU run is in @sciml/gpu's minimize-async.test.ts.
import {
  type Backend,
  type NDArray,
  add,
  array,
  cpuBackend,
  linspace,
  matmul,
  mean,
  mul,
  registerBackend,
  reshape,
  sin,
  square,
  sub,
  sum,
  tanh,
  toBackend,
  unregisterBackend,
  zeros,
  Generator,
  slice,
} from '@sciml/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MinimizeMethod, minimize } from './minimize.js';
import { minimizeAsync } from './minimize-async.js';
import { projectBox } from './projections.js';

const asyncHost: Backend = { ...cpuBackend, name: 'async-host-minimize', downloadSync: undefined };
beforeAll(() => registerBackend(asyncHost));
afterAll(() => unregisterBackend(asyncHost.name));

/** Moves every leaf of a tree to a backend. */
function onBackend<T extends Record<string, NDArray>>(tree: T, backend: Backend): T {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, toBackend(v, backend)])) as T;
}

describe('minimizeAsync', () => {
  // a small MLP fitting sin(x): a non-convex objective whose iterates depend on every value read
  const rng = new Generator(3);
  const x = reshape(linspace(-Math.PI, Math.PI, 24), [24, 1]);
  const y = sin(x);
  const init = {
    W1: rng.normal([1, 6]),
    b1: rng.normal([6], { std: 0.5 }),
    W2: rng.normal([6, 1], { std: 0.4 }),
    b2: zeros([1]),
  };
  type P = typeof init;
  const loss = (xs: NDArray, ys: NDArray) => (p: P) =>
    mean(square(sub(add(matmul(tanh(add(matmul(xs, p.W1), p.b1)), p.W2), p.b2), ys)));

  const methods: [MinimizeMethod, object][] = [
    ['lbfgs', {}],
    ['bfgs', {}],
    ['cg', {}],
    ['gd', { lineSearch: 'wolfe' }],
    ['l-bfgs-b', { bounds: { lower: Array(19).fill(-5), upper: Array(19).fill(5) } }],
    ['projected-gradient', { project: projectBox(-5, 5) }],
  ];
  it.each(methods)(
    '%s retraces the synchronous run exactly when values are read asynchronously',
    async (method, extra) => {
      const opts = { method, maxIter: 40, ...extra };
      const sync = minimize(loss(x, y), init, opts);
      const xa = toBackend(x, asyncHost);
      const ya = toBackend(y, asyncHost);
      const res = await minimizeAsync(loss(xa, ya), onBackend(init, asyncHost), opts);
      expect(res.x.W1.backend.name).toBe(asyncHost.name);
      expect(res.nit).toBe(sync.nit);
      expect(res.nfev).toBe(sync.nfev);
      expect(res.fun).toBe(sync.fun);
      expect(Array.from(await res.x.W2.data())).toEqual(Array.from(sync.x.W2.dataSync()));
      expect(sync.fun).toBeLessThan(loss(x, y)(init).item() / 5);
    },
  );

  it('accepts a tree-valued jac and a plain vector start', async () => {
    const target = array([0.25, -1, 2]);
    const f = (w: NDArray) => sum(square(sub(w, target)));
    const res = await minimizeAsync(f, [0, 0, 0], { jac: (w) => mul(2, sub(w, target)) });
    expect(res.success).toBe(true);
    expect(Array.from(res.x.dataSync())).toEqual([0.25, -1, 2]);
  });

  // the second-order methods: ∇²f·v and ∇²f are requested like f and ∇f, so the async run retraces the sync one
  const secondOrder: MinimizeMethod[] = ['newton', 'newton-cg', 'trust-ncg', 'trust-krylov', 'sr1'];
  it.each(secondOrder)(
    '%s retraces the synchronous run exactly, Hessians read asynchronously',
    async (method) => {
      const opts = { method, maxIter: 12 };
      const sync = minimize(loss(x, y), init, opts);
      const res = await minimizeAsync(
        loss(toBackend(x, asyncHost), toBackend(y, asyncHost)),
        onBackend(init, asyncHost),
        opts,
      );
      expect(res.x.W1.backend.name).toBe(asyncHost.name);
      expect([res.nit, res.nfev, res.ngev, res.nhev]).toEqual([
        sync.nit,
        sync.nfev,
        sync.ngev,
        sync.nhev,
      ]);
      if (method !== 'sr1') expect(res.nhev).toBeGreaterThan(0);
      expect(res.fun).toBe(sync.fun);
      expect(res.message).toBe(sync.message);
      expect(Array.from(await res.x.W1.data())).toEqual(Array.from(sync.x.W1.dataSync()));
      expect(sync.fun).toBeLessThan(loss(x, y)(init).item() / 2);
    },
  );

  it('newton, dogleg, trust-exact and trust-krylov on the 2-D Rosenbrock function reach (1, 1) as minimize does', async () => {
    const rosen = (p: { w: NDArray }) => {
      const [a, b] = [slice(p.w, '0:1'), slice(p.w, '1:2')];
      return sum(add(mul(100, square(sub(b, square(a)))), square(sub(1, a))));
    };
    for (const method of ['newton', 'dogleg', 'trust-exact', 'trust-krylov'] as const) {
      const res = await minimizeAsync(
        rosen,
        { w: toBackend(array([-1.2, 1]), asyncHost) },
        { method },
      );
      const sync = minimize(rosen, { w: array([-1.2, 1]) }, { method });
      expect(res.success).toBe(true);
      expect(res.nit).toBe(sync.nit);
      const w = Array.from(await res.x.w.data());
      expect(Math.max(Math.abs(w[0]! - 1), Math.abs(w[1]! - 1))).toBeLessThan(1e-6);
    }
  });

  it('reports a blind gradient (values read in JavaScript) as a failure, as minimize does', async () => {
    const f = (p: { w: NDArray }) => add(sum(p.w), sum(square(p.w)));
    const res = await minimizeAsync(
      f,
      { w: zeros([2]) },
      {
        valueAndGrad: (p) => [f(p), { w: zeros([2]) }],
      },
    );
    expect(res.success).toBe(false);
    expect(res.message).toMatch(/identically zero/);
  });
});
