// minimizeAsync on a backend without synchronous reads. The CPU backend with `downloadSync` removed stands
// in for a GPU here (same float64 arithmetic, so the async run must retrace the sync one exactly); the
// real GPU run is in @sciml/gpu's minimize-async.test.ts.
import {
  type Backend,
  type NDArray,
  ValueError,
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

  it('refuses the second-order methods, naming those it runs', async () => {
    const f = (w: NDArray) => sum(square(w));
    await expect(minimizeAsync(f, zeros([2]), { method: 'newton' })).rejects.toThrow(ValueError);
    await expect(minimizeAsync(f, zeros([2]), { method: 'trust-ncg' })).rejects.toThrow(/'lbfgs'/);
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
