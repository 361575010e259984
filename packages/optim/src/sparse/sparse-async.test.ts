// The async LASSO solvers on a backend without synchronous reads: the CPU backend with `downloadSync`
// removed stands in for a GPU (same float64 arithmetic, so each async run must retrace the sync one exactly);
// the float32 GPU run is in @sciml/gpu's lasso-async.test.ts.
import {
  type Backend,
  Generator,
  type NDArray,
  ValueError,
  add,
  cpuBackend,
  matmul,
  mul,
  qr,
  registerBackend,
  reshape,
  slice,
  square,
  sub,
  sum,
  tanh,
  toBackend,
  unregisterBackend,
  zeros,
} from '@sciml/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elasticNet, lasso } from './lasso.js';
import { fista, ista } from './proximal-gradient.js';
import { elasticNetAsync, fistaAsync, istaAsync, lassoAsync } from './sparse-async.js';

const asyncHost: Backend = { ...cpuBackend, name: 'async-host-lasso', downloadSync: undefined };
beforeAll(() => registerBackend(asyncHost));
afterAll(() => unregisterBackend(asyncHost.name));

interface Params {
  w: NDArray;
  c: NDArray;
}
const start = (backend?: Backend): Params => ({
  w: zeros([2, 3], { backend }),
  c: zeros([4], { backend }),
});
const flatOf = async (p: Params) => [...(await p.w.data()), ...(await p.c.data())];

describe('LASSO solvers with asynchronous reads', () => {
  const rng = new Generator(5);
  const { Q } = qr(rng.normal([30, 10]));
  // a correlated design, so the iterates depend on every value read
  const A = add(Q, mul(0.3, reshape(slice(Q, null, { start: 0, stop: 1 }), [30, 1])));
  const y = rng.normal([30], { std: 2 });
  const residualOf = (Am: NDArray, ym: NDArray) => {
    const Aw = slice(Am, null, { start: 0, stop: 6 });
    const Ac = slice(Am, null, { start: 6, stop: 10 });
    return (p: Params) => sub(add(matmul(Aw, reshape(p.w, [6])), matmul(Ac, p.c)), ym);
  };
  const r = residualOf(A, y);
  const rAsync = residualOf(toBackend(A, asyncHost), toBackend(y, asyncHost));
  // a smooth non-quadratic f, so FISTA's backtracking and restarts matter
  const smooth = (Am: NDArray, ym: NDArray) => (p: Params) =>
    add(mul(0.5, sum(square(residualOf(Am, ym)(p)))), sum(tanh(square(p.c))));
  const lambda = 0.8;

  const cases: [string, () => unknown, () => Promise<unknown>][] = [
    [
      'fista',
      () => fista(smooth(A, y), start(), { lambda }),
      () =>
        fistaAsync(smooth(toBackend(A, asyncHost), toBackend(y, asyncHost)), start(asyncHost), {
          lambda,
        }),
    ],
    [
      'ista',
      () => ista(smooth(A, y), start(), { lambda, maxIter: 300 }),
      () =>
        istaAsync(smooth(toBackend(A, asyncHost), toBackend(y, asyncHost)), start(asyncHost), {
          lambda,
          maxIter: 300,
        }),
    ],
    [
      'lasso (fista)',
      () => lasso(r, start(), { lambda }),
      () => lassoAsync(rAsync, start(asyncHost), { lambda }),
    ],
    [
      'lasso (coordinate descent)',
      () => lasso(r, start(), { lambda, solver: 'coordinate-descent' }),
      () => lassoAsync(rAsync, start(asyncHost), { lambda, solver: 'coordinate-descent' }),
    ],
    [
      'elasticNet (ista)',
      () => elasticNet(r, start(), { lambda, l2: 0.5, solver: 'ista' }),
      () => elasticNetAsync(rAsync, start(asyncHost), { lambda, l2: 0.5, solver: 'ista' }),
    ],
  ];
  it.each(cases)('%s retraces the synchronous run exactly', async (_, sync, async) => {
    const s = sync() as { x: Params; objective: number; nit: number; success: boolean };
    const a = (await async()) as typeof s;
    expect(a.x.w.backend.name).toBe(asyncHost.name);
    expect(a.x.w.shape).toEqual([2, 3]);
    expect([a.nit, a.objective, a.success]).toEqual([s.nit, s.objective, s.success]);
    expect(await flatOf(a.x)).toEqual(await flatOf(s.x));
    // the ℓ1 term acts: some coefficients are exactly zero, not all
    const zerosCount = (await flatOf(a.x)).filter((v) => v === 0).length;
    expect(zerosCount).toBeGreaterThan(0);
    expect(zerosCount).toBeLessThan(10);
  });

  it('the matrix forms read A and b once and solve on the host', async () => {
    for (const solver of ['coordinate-descent', 'fista'] as const) {
      const sync = lasso(A, y, { lambda, solver });
      const res = await lassoAsync(toBackend(A, asyncHost), toBackend(y, asyncHost), {
        lambda,
        solver,
      });
      expect(Array.from(res.x.dataSync())).toEqual(Array.from(sync.x.dataSync()));
      expect(res.objective).toBe(sync.objective);
    }
    const en = await elasticNetAsync(toBackend(A, asyncHost), toBackend(y, asyncHost), {
      lambda,
      l2: 0.5,
    });
    expect(en.objective).toBe(elasticNet(A, y, { lambda, l2: 0.5 }).objective);
    const fi = await fistaAsync(toBackend(A, asyncHost), toBackend(y, asyncHost), { lambda });
    expect(fi.objective).toBe(fista(A, y, { lambda }).objective);
  });

  it('bad input is a ValueError naming the async function', async () => {
    await expect(lassoAsync(rAsync, start(asyncHost), { lambda: -1 })).rejects.toThrow(
      /lassoAsync: penalties must be finite/,
    );
    await expect(
      lassoAsync(rAsync, start(asyncHost), { lambda, solver: 'newton' as 'fista' }),
    ).rejects.toThrow(ValueError);
    const bent = (p: Params) => sub(tanh(rAsync(p)), 0);
    await expect(
      lassoAsync(bent, start(asyncHost), { lambda, solver: 'coordinate-descent' }),
    ).rejects.toThrow(/affine/);
  });
});
