/**
 * `jit` against eager execution on every primitive (one row each, float64 and float32), its program
 * simplifications, its cache, its errors, and its composition with the derivative transforms.
 */
import {
  type NDArray,
  PRIMITIVES,
  add,
  array,
  astype,
  bind,
  cos,
  exp,
  greater,
  matmul,
  mul,
  scope,
  sin,
  sum,
  tanh,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { jvp } from '../transforms/forward.js';
import { hessian, jacobian } from '../transforms/jacobian.js';
import { grad, valueAndGrad } from '../transforms/reverse.js';
import { EXTRA_ROWS } from '../test-utils/extra-rows.js';
import { ROWS } from '../test-utils/primitive-rows.js';
import { uniform } from '../test-utils/random.js';
import { jit } from './jit.js';
import { makeJaxpr } from './stage.js';
import { TracedValueError } from '@sciml/linalg';
import { vmap } from './vmap.js';

const ALL_ROWS = [...ROWS, ...EXTRA_ROWS];

/** Largest |a − b| / max(|b|, 1e-300) over the elements (exact zeros compare absolutely). */
function maxRelDiff(a: NDArray, b: NDArray): number {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (d === 0 || (Number.isNaN(x[i]!) && Number.isNaN(y[i]!))) continue;
    worst = Math.max(worst, d / Math.max(Math.abs(y[i]!), 1e-300));
  }
  return worst;
}

const asF32 = (xs: NDArray[]): NDArray[] =>
  xs.map((x) => (x.dtype === 'float64' ? astype(x, 'float32') : x));

describe('jit(f) equals f on every primitive', () => {
  it.each(ALL_ROWS.map((r) => [`${r.primitive}: ${r.what}`, r] as const))('%s', (_n, r) => {
    for (const [dtype, tol] of [
      ['float64', 1e-14],
      ['float32', 1e-6],
    ] as const) {
      const args = dtype === 'float64' ? r.args() : asF32(r.args());
      const f = jit(r.fn);
      const eager = r.fn(...args);
      expect(maxRelDiff(f(...args), eager), dtype).toBeLessThanOrEqual(tol);
      // the second call runs the cached program
      expect(maxRelDiff(f(...args), eager), dtype).toBeLessThanOrEqual(tol);
      expect(f.stats.traces).toBe(1);
    }
  });

  it('covers every primitive', () => {
    const tested = new Set(ALL_ROWS.map((r) => r.primitive));
    for (const p of PRIMITIVES) expect(tested.has(p), p).toBe(true);
  });
});

describe('makeJaxpr', () => {
  it('prints one equation per primitive with typed variables', () => {
    const text = String(makeJaxpr((x: NDArray) => tanh(add(mul(x, 2), 1)))(array([1, 2])));
    expect(text).toContain('a:f64[2]');
    expect(text.match(/ = mul /g)).toHaveLength(1);
    expect(text.match(/ = add /g)).toHaveLength(1);
    expect(text.match(/ = tanh /g)).toHaveLength(1);
    expect(text).toMatch(/# \w+:f64\[\] = 2/);
  });

  it('removes common subexpressions and dead code', () => {
    const program = makeJaxpr((x: NDArray) => {
      sin(x); // dead
      return add(exp(x), exp(x)); // exp computed once
    })(array([1, 2]));
    expect(program.jaxpr.eqns.map((e) => e.primitive)).toEqual(['exp', 'add']);
  });

  it('captures closed-over arrays as constants', () => {
    const w = array([
      [1, 2],
      [3, 4],
    ]);
    const program = makeJaxpr((x: NDArray) => matmul(w, x))(array([1, 1]));
    expect(program.jaxpr.constVars).toHaveLength(1);
    expect(program.consts[0]).toBe(w);
  });
});

describe('jit cache and errors', () => {
  it('retraces on a new shape or dtype, not on new values', () => {
    const f = jit((x: NDArray) => sum(mul(x, x)));
    expect(f(array([1, 2])).item()).toBe(5);
    expect(f(array([3, 4])).item()).toBe(25);
    expect(f.stats.traces).toBe(1);
    expect(f(array([1, 2, 3])).item()).toBe(14);
    expect(f.stats.traces).toBe(2);
    expect(f(astype(array([1, 2]), 'float32')).item()).toBe(5);
    expect(f.stats.traces).toBe(3);
    expect(f.stats.cacheHits).toBe(1);
    expect(f.stats.compileMs).toBeGreaterThan(0);
    expect(f.stats.lowering).toMatch(/^fused: \d+ generated loop/);
  });

  it('bakes static arguments into the program, one trace per value', () => {
    const f = jit((x: NDArray, opts: { power: number }) => sum(mul(x, opts.power)), {
      staticArgnums: 1,
    });
    expect(f(array([1, 2]), { power: 2 }).item()).toBe(6);
    expect(f(array([1, 2]), { power: 3 }).item()).toBe(9);
    expect(f(array([1, 2]), { power: 3 }).item()).toBe(9);
    expect(f.stats.traces).toBe(2);
  });

  it('names the op and suggests cond when a branch reads array values', () => {
    const f = jit((x: NDArray) => (sum(x).item() > 0 ? x : mul(x, -1)));
    expect(() => f(array([1, 2]))).toThrow(TracedValueError);
    expect(() => f(array([1, 2]))).toThrow(/output of 'sum'.*cond/);
  });

  it('handles integer arguments, results that are inputs, and results that are constants', () => {
    const f = jit((x: NDArray, idx: NDArray) => ({
      picked: bind('gather', [tanh(x), idx], { axis: 0 })[0]!,
      same: x,
      ones: add(mul(x, 0), 1),
      fixed: array([7, 8]),
    }));
    const x = array([0.5, -1, 2]);
    const idx = astype(array([2, 0, 2]), 'int32');
    const out = f(x, idx);
    expect(out.picked.toNested()).toEqual(
      bind('gather', [tanh(x), idx], { axis: 0 })[0]!.toNested(),
    );
    expect(out.same.toNested()).toEqual([0.5, -1, 2]);
    expect(out.ones.toNested()).toEqual([1, 1, 1]);
    expect(out.fixed.toNested()).toEqual([7, 8]);
    expect(f(x, idx).picked.toNested()).toEqual(out.picked.toNested());
  });

  it('keeps its compiled constants alive across scopes (first call inside a scope)', () => {
    const f = jit((x: NDArray) => tanh(add(mul(x, 3), 1)));
    const x = array([0.1, 0.2]);
    const first = scope(() => f(x).toNested());
    const second = scope(() => f(x).toNested());
    expect(second).toEqual(first);
    const kept = scope(() => f(x));
    expect(kept.toNested()).toEqual(first);
  });

  it('keeps pytree structure and static leaves of the result', () => {
    const f = jit((p: { w: NDArray; b: NDArray }) => ({ y: add(p.w, p.b), n: 3 }));
    const out = f({ w: array([1]), b: array([2]) });
    expect(out.y.toNested()).toEqual([3]);
    expect(out.n).toBe(3);
  });
});

describe('jit composes with the derivative transforms', () => {
  const f = (x: NDArray): NDArray => sum(mul(sin(x), tanh(mul(x, x))));
  const x = uniform([5], -1, 1, 3);

  it('jit(grad(f)) = grad(f) and grad(jit(f)) = grad(f)', () => {
    const g = grad(f)(x);
    expect(maxRelDiff(jit(grad(f))(x), g)).toBeLessThanOrEqual(1e-14);
    expect(maxRelDiff(grad(jit(f))(x), g)).toBeLessThanOrEqual(1e-14);
  });

  it('jit(valueAndGrad) of an MLP layer equals eager', () => {
    const loss = (w: NDArray, xs: NDArray) => sum(tanh(matmul(xs, w)));
    const w = uniform([3, 4], -1, 1, 5);
    const xs = uniform([6, 3], -1, 1, 6);
    const [v, g] = valueAndGrad(loss)(w, xs);
    const [vj, gj] = jit(valueAndGrad(loss))(w, xs);
    expect(maxRelDiff(vj, v)).toBeLessThanOrEqual(1e-14);
    expect(maxRelDiff(gj, g)).toBeLessThanOrEqual(1e-14);
  });

  it('jvp(jit(f)) and jit(hessian(f))', () => {
    const t = uniform([5], -1, 1, 4);
    const [, dy] = jvp(f, [x], [t]);
    const [, dyj] = jvp(jit(f), [x], [t]);
    expect(maxRelDiff(dyj, dy)).toBeLessThanOrEqual(1e-14);
    expect(maxRelDiff(jit(hessian(f))(x), hessian(f)(x))).toBeLessThanOrEqual(1e-13);
  });

  it('jit(jvp(f)) equals jvp(f), and checkGrads passes through jacobian(vmap(f))', () => {
    const t = uniform([5], -1, 1, 6);
    const [, dy] = jvp(f, [x], [t]);
    const [, dyj] = jit((a: NDArray, b: NDArray) => jvp(f, [a], [b]))(x, t);
    expect(maxRelDiff(dyj, dy)).toBeLessThanOrEqual(1e-14);
    const rowwise = (m: NDArray): NDArray => vmap((r: NDArray) => sum(mul(sin(r), r)))(m);
    expect(checkGrads(rowwise, [uniform([3, 2], -1, 1, 7)], { order: 2 }).maxRelError).toBeLessThan(
      1e-6,
    );
    const J = jacobian(rowwise)(uniform([3, 2], -1, 1, 7));
    expect(J.shape).toEqual([3, 3, 2]);
  });

  it('checkGrads to order 2 through jit', () => {
    const g = (y: NDArray): NDArray => jit((z: NDArray) => mul(cos(z), exp(z)))(y);
    expect(checkGrads(g, [x], { order: 2 }).maxRelError).toBeLessThan(1e-6);
    expect(checkGrads(jit(f), [x], { order: 2 }).maxRelError).toBeLessThan(1e-6);
  });

  it('a comparison inside jit is traced, not read', () => {
    const relu = jit((z: NDArray) => mul(z, astype(greater(z, 0), 'float64')));
    expect(relu(array([-1, 2])).toNested()).toEqual([-0, 2]);
  });
});
