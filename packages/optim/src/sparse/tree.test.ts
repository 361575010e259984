import { grad, ravelPytree } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  ValueError,
  add,
  array,
  astype,
  exp,
  log1p,
  matmul,
  mul,
  neg,
  qr,
  reshape,
  slice,
  square,
  sub,
  sum,
  tanh,
  zeros,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { elasticNet, lasso } from './lasso.js';
import { fista, ista } from './proximal-gradient.js';
import { softThresholdScalar } from './soft-threshold.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Parameters split over a tree: w (2×3) and c (4), ten coefficients in all. */
interface Params {
  w: NDArray;
  c: NDArray;
}
const start = (dtype: 'float64' | 'float32' = 'float64'): Params => ({
  w: zeros([2, 3], { dtype }),
  c: zeros([4], { dtype }),
});
/** The tree's coefficients in the order [w row-major, c]. */
const flat = (p: Params) => [...p.w.dataSync(), ...p.c.dataSync()];

/** r(p) = Q[:, :6]·vec(w) + Q[:, 6:]·c − y for a 30×10 design Q. */
function residualOf(Q: NDArray, y: NDArray) {
  const Qw = slice(Q, null, { start: 0, stop: 6 });
  const Qc = slice(Q, null, { start: 6, stop: 10 });
  return (p: Params) => sub(add(matmul(Qw, reshape(p.w, [6])), matmul(Qc, p.c)), y);
}

describe('LASSO over pytrees: orthogonal design (closed form)', () => {
  // with QᵀQ = I the LASSO decouples: x*_j = S_λ((Qᵀy)_j), and the elastic net divides by 1 + μ
  const rng = new Generator(3);
  const { Q } = qr(rng.normal([30, 10]));
  const y = rng.normal([30], { std: 2 });
  const qty = matmul(y, Q).dataSync();
  const lambda = 1.2;
  const closed = Array.from(qty, (v) => softThresholdScalar(v, lambda));
  const r = residualOf(Q, y);
  const f = (p: Params) => mul(0.5, sum(square(r(p))));

  it('has a solution with both zero and non-zero entries (the test exercises the threshold)', () => {
    expect(closed.filter((v) => v === 0).length).toBeGreaterThan(1);
    expect(closed.filter((v) => v !== 0).length).toBeGreaterThan(1);
  });

  it.each([
    ['fista', () => fista(f, start(), { lambda, tol: 1e-13 })],
    ['ista', () => ista(f, start(), { lambda, tol: 1e-13 })],
    ['lasso (fista)', () => lasso(r, start(), { lambda, tol: 1e-13 })],
    [
      'lasso (coordinate descent)',
      () => lasso(r, start(), { lambda, solver: 'coordinate-descent', tol: 1e-13 }),
    ],
  ])('%s returns S_λ(Qᵀy) in the start value’s structure', (_, solve) => {
    const res = solve();
    expect(res.success).toBe(true);
    expect(res.x.w.shape).toEqual([2, 3]);
    expect(res.x.c.shape).toEqual([4]);
    expect(maxDiff(flat(res.x), closed)).toBeLessThan(1e-9);
    // F(x*) = ½‖Qx* − y‖² + λ‖x*‖₁
    const resid = sum(square(r(res.x))).item();
    const l1 = closed.reduce((s, v) => s + Math.abs(v), 0);
    expect(res.objective).toBeCloseTo(0.5 * resid + lambda * l1, 10);
  });

  it('elastic net: S_λ(Qᵀy)/(1 + μ)', () => {
    const mu = 0.5;
    const want = closed.map((v) => v / (1 + mu));
    for (const solver of ['fista', 'coordinate-descent'] as const) {
      const res = elasticNet(r, start(), { lambda, l2: mu, solver, tol: 1e-13 });
      expect(maxDiff(flat(res.x), want)).toBeLessThan(1e-9);
    }
  });

  it('float32 leaves stay float32 and agree with the float64 solution to float32 precision', () => {
    const Q32 = astype(Q, 'float32');
    const y32 = astype(y, 'float32');
    const res = lasso(residualOf(Q32, y32), start('float32'), { lambda, tol: 1e-6 });
    expect(res.x.w.dtype).toBe('float32');
    expect(res.x.c.dtype).toBe('float32');
    expect(maxDiff(flat(res.x), closed)).toBeLessThan(1e-5);
  });
});

describe('LASSO over pytrees: correlated design', () => {
  // the design of lasso.test.ts: 60 × 20 Gaussian columns sharing a common factor
  const rng = new Generator(8);
  const z = rng.normal([60, 21]).dataSync();
  const data = new Float64Array(60 * 10);
  for (let i = 0; i < 60; i++)
    for (let j = 0; j < 10; j++) data[i * 10 + j] = z[i * 21]! + 0.4 * z[i * 21 + j + 1]!;
  const A = array(data, { shape: [60, 10] });
  const truth = array([2, 0, 0, -1.5, 0, 0, 0, 0.8, 0, 0]);
  const b = add(matmul(A, truth), rng.normal([60], { std: 0.1 }));
  const lambda = 2;
  const reference = lasso(A, b, { lambda, tol: 1e-14 }).x.dataSync();
  const r = residualOf(A, b);

  it.each(['gradient', 'function', 'none'] as const)(
    'FISTA (restart %s) on the tree equals coordinate descent on the matrix to 1e-8',
    (restart) => {
      const res = lasso(r, start(), { lambda, restart, tol: 1e-13, maxIter: 100_000 });
      expect(res.success).toBe(true);
      expect(maxDiff(flat(res.x), reference)).toBeLessThan(1e-8);
    },
  );

  it('coordinate descent on the tree reads A off the residual and matches the matrix form', () => {
    const res = lasso(r, start(), { lambda, solver: 'coordinate-descent', tol: 1e-14 });
    expect(maxDiff(flat(res.x), reference)).toBeLessThan(1e-10);
  });

  it('adaptive restart makes FISTA converge in fewer iterations on a strongly convex problem', () => {
    const opts = { lambda, l2: 0.5, tol: 1e-12, maxIter: 100_000 } as const;
    const plain = elasticNet(r, start(), { ...opts, restart: 'none' });
    const restarted = elasticNet(r, start(), { ...opts, restart: 'gradient' });
    expect(maxDiff(flat(plain.x), flat(restarted.x))).toBeLessThan(1e-9);
    expect(restarted.nit).toBeLessThan(plain.nit);
  });
});

describe('FISTA on a non-quadratic smooth part', () => {
  it('ℓ1-regularised logistic regression satisfies its optimality conditions', () => {
    // f(w, c) = Σ log(1 + exp(−yᵢ(xᵢᵀw + c))); optimality: ∇f_j = −λ sign(x_j) where x_j ≠ 0, |∇f_j| ≤ λ where 0
    const rng = new Generator(11);
    const X = rng.normal([80, 6]);
    const score = tanh(matmul(X, array([1.5, -2, 0, 0, 0.5, 0])));
    const labels = array(
      Array.from(score.dataSync(), (s) => (s + 0.3 * rng.nextNormal() > 0 ? 1 : -1)),
    );
    const f = (p: { w: NDArray; c: NDArray }) =>
      sum(log1p(exp(neg(mul(labels, add(matmul(X, p.w), p.c))))));
    const lambda = 4;
    const res = fista(f, { w: zeros([6]), c: zeros([1]) }, { lambda, tol: 1e-12 });
    expect(res.success).toBe(true);
    const [g] = ravelPytree(grad(f)(res.x));
    const [x] = ravelPytree(res.x);
    const gv = g.dataSync();
    const xv = x.dataSync();
    let worst = 0;
    xv.forEach((v, j) => {
      worst = Math.max(
        worst,
        v !== 0 ? Math.abs(gv[j]! + lambda * Math.sign(v)) : Math.max(0, Math.abs(gv[j]!) - lambda),
      );
    });
    expect(worst).toBeLessThan(1e-7);
    expect(xv.filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(xv.filter((v) => v !== 0).length).toBeGreaterThan(1);
  });
});

describe('sparse solvers over pytrees: bad input', () => {
  const f = (p: { w: NDArray }) => sum(square(p.w));
  it('refuses a negative or infinite λ, a bad L₀ and an unknown restart', () => {
    expect(() => fista(f, { w: zeros([2]) }, { lambda: -1 })).toThrow(ValueError);
    expect(() => ista(f, { w: zeros([2]) }, { lambda: Infinity })).toThrow(
      /finite and non-negative/,
    );
    expect(() => fista(f, { w: zeros([2]) }, { lambda: 1, lipschitz: 0 })).toThrow(/lipschitz/);
    expect(() => fista(f, { w: zeros([2]) }, { lambda: 1, restart: 'sometimes' as never })).toThrow(
      /restart/,
    );
  });

  it('refuses coordinate descent on a residual that is not affine, naming the fix', () => {
    const r = (p: { w: NDArray }) => sub(square(p.w), array([1, 2]));
    expect(() =>
      lasso(r, { w: zeros([2]) }, { lambda: 0.1, solver: 'coordinate-descent' }),
    ).toThrow(/affine.*solver: 'fista'/);
    // FISTA handles it: ½Σ(w² − t)² + λ‖w‖₁ has its minimum away from 0
    const res = lasso(r, { w: array([0.5, 0.5]) }, { lambda: 0.1, tol: 1e-12 });
    expect(res.success).toBe(true);
    expect(res.x.w.dataSync()[1]).toBeGreaterThan(1);
  });

  it('refuses a non-finite start value', () => {
    expect(() => fista(f, { w: array([Number.NaN, 0]) }, { lambda: 1 })).toThrow(/x0/);
  });
});
