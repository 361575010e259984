/**
 * `vmap` against a loop over examples on every primitive (one row each, float64 and float32; all operands
 * mapped, only the first mapped, mapped along the last axis), per-example gradients, batched Jacobians and
 * Hessians, and composition with `grad`/`jit`.
 */
import {
  type NDArray,
  PRIMITIVES,
  add,
  astype,
  bind,
  concat,
  matmul,
  mean,
  mul,
  reshape,
  sin,
  sub,
  sum,
  tanh,
  transpose,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { batchRules } from '../rules/batch.js';
import { hessian, jacobian } from '../transforms/jacobian.js';
import { grad } from '../transforms/reverse.js';
import { EXTRA_ROWS } from '../test-utils/extra-rows.js';
import { ROWS } from '../test-utils/primitive-rows.js';
import { uniform } from '../test-utils/random.js';
import { jit } from './jit.js';
import { vmap } from './vmap.js';

const ALL_ROWS = [...ROWS, ...EXTRA_ROWS];
const B = 3;

/** Example b of a batch: the row's arguments scaled by 1 + b/10 (signs and domains kept). */
const example = (xs: NDArray[], b: number): NDArray[] =>
  xs.map((x) => (x.dtype === 'float64' || x.dtype === 'float32' ? mul(x, 1 + b / 10) : x));

/** Stacks arrays along a new axis `axis`. */
function stack(xs: readonly NDArray[], axis = 0): NDArray {
  const lifted = xs.map((x) => {
    const shape = [...x.shape];
    shape.splice(axis < 0 ? shape.length + 1 + axis : axis, 0, 1);
    return reshape(x, shape);
  });
  return concat(lifted, { axis: axis < 0 ? lifted[0]!.ndim + axis : axis });
}

function maxRelDiff(a: NDArray, b: NDArray): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (d === 0) continue;
    worst = Math.max(worst, d / Math.max(Math.abs(y[i]!), 1e-300));
  }
  return worst;
}

const asF32 = (xs: NDArray[]): NDArray[] =>
  xs.map((x) => (x.dtype === 'float64' ? astype(x, 'float32') : x));

describe('vmap(f) equals a loop over f on every primitive', () => {
  it.each(ALL_ROWS.map((r) => [`${r.primitive}: ${r.what}`, r] as const))('%s', (_n, r) => {
    for (const [dtype, tol] of [
      ['float64', 1e-12],
      ['float32', 1e-5],
    ] as const) {
      const base = dtype === 'float64' ? r.args() : asF32(r.args());
      const examples = Array.from({ length: B }, (_, b) => example(base, b));
      const loop = stack(examples.map((xs) => r.fn(...xs)));
      // every operand mapped along axis 0
      const all = vmap(r.fn)(...base.map((_, i) => stack(examples.map((xs) => xs[i]!))));
      expect(maxRelDiff(all, loop), `${dtype} all mapped`).toBeLessThanOrEqual(tol);
      // every operand mapped along its last axis, the result's batch axis last
      const last = vmap(r.fn, { inAxes: -1, outAxes: -1 })(
        ...base.map((_, i) =>
          stack(
            examples.map((xs) => xs[i]!),
            -1,
          ),
        ),
      );
      expect(
        maxRelDiff(
          last,
          stack(
            examples.map((xs) => r.fn(...xs)),
            -1,
          ),
        ),
        dtype,
      ).toBeLessThanOrEqual(tol);
      if (base.length > 1) {
        // only the first operand mapped, the others shared
        const firstOnly = vmap(r.fn, { inAxes: base.map((_, i) => (i === 0 ? 0 : null)) })(
          stack(examples.map((xs) => xs[0]!)),
          ...base.slice(1),
        );
        const ref = stack(examples.map((xs) => r.fn(xs[0]!, ...base.slice(1))));
        expect(maxRelDiff(firstOnly, ref), `${dtype} first only`).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('the batching table covers every primitive, and the rows test each', () => {
    const tested = new Set(ALL_ROWS.map((r) => r.primitive));
    for (const p of PRIMITIVES) {
      expect(typeof batchRules[p], p).toBe('function');
      expect(tested.has(p), p).toBe(true);
    }
  });

  it('gathers with batched indices and batched data (the per-example fallback)', () => {
    const x = uniform([3, 4], -1, 1, 2);
    const floorIdx = bind('floor', [uniform([3, 2], 0, 3.99, 3)], {})[0]!;
    const ints = bind('cast', [floorIdx], { dtype: 'int32' })[0]!;
    const f = (row: NDArray, i: NDArray) => bind('gather', [row, i], { axis: 0 })[0]!;
    const got = vmap(f)(x, ints);
    const loop = stack(
      [0, 1, 2].map((b) =>
        f(
          reshape(bind('slice', [x], { starts: [b, 0], steps: [1, 1], lengths: [1, 4] })[0]!, [4]),
          reshape(
            bind('slice', [ints], { starts: [b, 0], steps: [1, 1], lengths: [1, 2] })[0]!,
            [2],
          ),
        ),
      ),
    );
    expect(maxRelDiff(got, loop)).toBe(0);
  });
});

describe('per-example gradients and batched derivatives', () => {
  const params = {
    w1: uniform([3, 8], -1, 1, 11),
    b1: uniform([8], -0.5, 0.5, 12),
    w2: uniform([8, 1], -1, 1, 13),
  };
  type Params = typeof params;
  const mlp = (p: Params, x: NDArray): NDArray =>
    matmul(tanh(add(matmul(reshape(x, [1, 3]), p.w1), p.b1)), p.w2);
  const loss = (p: Params, x: NDArray, y: NDArray): NDArray =>
    sum(mul(sub(mlp(p, x), y), sub(mlp(p, x), y)));
  const xs = uniform([5, 3], -1, 1, 14);
  const ys = uniform([5, 1], -1, 1, 15);
  const rowOf = (a: NDArray, b: number) =>
    reshape(bind('slice', [a], { starts: [b, 0], steps: [1, 1], lengths: [1, a.shape[1]!] })[0]!, [
      a.shape[1]!,
    ]);

  it('vmap(grad(loss), { inAxes: [null, 0, 0] }) equals the loop of single-example gradients', () => {
    const batched = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, xs, ys);
    for (const k of ['w1', 'b1', 'w2'] as const) {
      const loop = stack(
        [0, 1, 2, 3, 4].map((b) => grad(loss)(params, rowOf(xs, b), rowOf(ys, b))[k]),
      );
      expect(maxRelDiff(batched[k], loop), k).toBeLessThanOrEqual(1e-12);
    }
  });

  it('float32 per-example gradients (outer products by the batched kernel) equal the float32 loop', () => {
    const p32 = {
      w1: astype(params.w1, 'float32'),
      b1: astype(params.b1, 'float32'),
      w2: astype(params.w2, 'float32'),
    };
    const [x32, y32] = [astype(xs, 'float32'), astype(ys, 'float32')];
    const batched = vmap(grad(loss), { inAxes: [null, 0, 0] })(p32, x32, y32);
    const compiled = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }))(p32, x32, y32);
    for (const k of ['w1', 'b1', 'w2'] as const) {
      expect(batched[k].dtype).toBe('float32');
      const loop = stack(
        [0, 1, 2, 3, 4].map((b) => grad(loss)(p32, rowOf(x32, b), rowOf(y32, b))[k]),
      );
      // the products agree to float32 rounding (the batched GEMM may sum in another order)
      expect(maxRelDiff(batched[k], loop), k).toBeLessThanOrEqual(1e-5);
      expect(maxRelDiff(compiled[k], batched[k]), k).toBeLessThanOrEqual(1e-6);
      // and each is the float64 gradient to float32 precision
      const ref64 = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, xs, ys)[k];
      expect(maxRelDiff(astype(batched[k], 'float64'), ref64), k).toBeLessThanOrEqual(1e-4);
    }
  });

  it('examples mapped along the last axis (inAxes -1) and gradients stacked last (outAxes -1)', () => {
    const xsT = transpose(xs);
    const ysT = transpose(ys);
    const last = vmap(grad(loss), { inAxes: [null, -1, -1], outAxes: -1 })(params, xsT, ysT);
    expect(last.w1.shape).toEqual([3, 8, 5]);
    for (const k of ['w1', 'b1', 'w2'] as const) {
      const loop = stack(
        [0, 1, 2, 3, 4].map((b) => grad(loss)(params, rowOf(xs, b), rowOf(ys, b))[k]),
        -1,
      );
      expect(maxRelDiff(last[k], loop), k).toBeLessThanOrEqual(1e-12);
    }
  });

  it('jit(vmap(grad)) equals vmap(grad), and the mean of per-example gradients is the batch gradient', () => {
    const perEx = vmap(grad(loss), { inAxes: [null, 0, 0] });
    const compiled = jit(perEx);
    const a = perEx(params, xs, ys);
    const c = compiled(params, xs, ys);
    // every parameter: the outer products (w1, w2) run as fused loops over broadcast runs, b1 as a sum
    for (const k of ['w1', 'b1', 'w2'] as const)
      expect(maxRelDiff(c[k], a[k]), k).toBeLessThanOrEqual(1e-14);
    const batchLoss = (p: Params) => mean(vmap((x: NDArray, y: NDArray) => loss(p, x, y))(xs, ys));
    const g = grad(batchLoss)(params);
    expect(maxRelDiff(g.w1, mul(sum(a.w1, { axis: 0 }), 1 / 5))).toBeLessThanOrEqual(1e-12);
  });

  it('batched Jacobians and Hessians equal the per-example ones', () => {
    const f = (x: NDArray): NDArray => mul(sin(x), sum(mul(x, x)));
    const xsq = uniform([4, 3], -1, 1, 16);
    const J = vmap(jacobian(f))(xsq);
    const H = vmap(hessian((x: NDArray) => sum(f(x))))(xsq);
    expect(J.shape).toEqual([4, 3, 3]);
    expect(H.shape).toEqual([4, 3, 3]);
    for (let b = 0; b < 4; b++) {
      const x = rowOf(xsq, b);
      const Jb = reshape(
        bind('slice', [J], { starts: [b, 0, 0], steps: [1, 1, 1], lengths: [1, 3, 3] })[0]!,
        [3, 3],
      );
      const Hb = reshape(
        bind('slice', [H], { starts: [b, 0, 0], steps: [1, 1, 1], lengths: [1, 3, 3] })[0]!,
        [3, 3],
      );
      expect(maxRelDiff(Jb, jacobian(f)(x))).toBeLessThanOrEqual(1e-12);
      expect(maxRelDiff(Hb, hessian((z: NDArray) => sum(f(z)))(x))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('grad(vmap(f)) and vmap(grad(grad)) pass checkGrads to order 2', () => {
    const f = (x: NDArray): NDArray => sum(tanh(mul(x, transpose(x))));
    const g = (xs2: NDArray): NDArray => sum(vmap(f)(xs2));
    expect(checkGrads(g, [uniform([3, 2, 2], -1, 1, 17)], { order: 2 }).maxRelError).toBeLessThan(
      1e-6,
    );
    const scalar = (x: NDArray): NDArray => sum(mul(sin(x), x));
    const d2 = vmap(grad((x: NDArray) => sum(grad(scalar)(x))));
    const xv = uniform([4, 1], -1, 1, 18);
    const loop = stack(
      [0, 1, 2, 3].map((b) =>
        grad((x: NDArray) => sum(grad(scalar)(x)))(reshape(rowOf(xv, b), [1])),
      ),
    );
    expect(maxRelDiff(jit(d2)(xv), loop)).toBeLessThanOrEqual(1e-12);
  });

  it('vmap(vmap(f)) maps two axes', () => {
    const f = (a: NDArray, b: NDArray): NDArray => sum(mul(a, b));
    const a = uniform([2, 3, 4], -1, 1, 19);
    const b = uniform([2, 3, 4], -1, 1, 20);
    const got = vmap(vmap(f))(a, b);
    expect(maxRelDiff(got, sum(mul(a, b), { axis: 2 }))).toBeLessThanOrEqual(1e-14);
  });

  it('places pytree results by outAxes (per element of an array result, null for shared ones)', () => {
    const f = (x: NDArray, w: NDArray) => [{ y: mul(x, w) }, w] as const;
    const xs = uniform([4, 3], -1, 1, 21);
    const w = uniform([3], -1, 1, 22);
    const [batched, shared] = vmap(f, { inAxes: [0, null], outAxes: [1, null] })(xs, w);
    expect(batched.y.shape).toEqual([3, 4]);
    expect(maxRelDiff(batched.y, transpose(mul(xs, w)))).toBe(0);
    expect(shared).toBe(w);
    expect(() => vmap(f, { inAxes: [0, null], outAxes: [0, 0, 0] })(xs, w)).toThrow(
      /outAxes has 3 entries/,
    );
    expect(() => vmap((x: NDArray) => x, { outAxes: null })(xs)).toThrow(
      /depends on the mapped axis/,
    );
  });

  it('rejects mismatched batch sizes with a ShapeError', () => {
    expect(() =>
      vmap((a: NDArray, b: NDArray) => add(a, b))(uniform([2, 3]), uniform([3, 3])),
    ).toThrow(/mapped axes must agree/);
  });
});
