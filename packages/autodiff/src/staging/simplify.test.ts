/**
 * `simplify`: the same values and gradients as the function it simplifies, with repeated forward work merged
 * before differentiation (fewer equations in `jit(grad(simplify(f)))` than in `jit(grad(f))`).
 */
import {
  type NDArray,
  add,
  array,
  bind,
  fromTypedArray,
  matmul,
  mean,
  mul,
  square,
  sub,
  tanh,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { jvp } from '../transforms/forward.js';
import { grad, valueAndGrad } from '../transforms/reverse.js';
import { uniform } from '../test-utils/random.js';
import { jit } from './jit.js';
import { simplify } from './simplify.js';
import { makeJaxpr } from './stage.js';

type Params = { w1: NDArray; w2: NDArray };
const e = (n: number, d: number, axis: number) =>
  fromTypedArray(
    Float64Array.from({ length: n * d }, (_, k) => (k % d === axis ? 1 : 0)),
    [n, d],
  );

// a two-layer tanh network of (n, 2) points and a PINN-like loss u_t + u·u_x − 0.1·u_xx: each of u, u_t, u_x
// and u_xx (nested jvp) runs its own copy of the forward pass
const N = 16;
const u = (p: Params) => (x: NDArray) => matmul(tanh(matmul(x, p.w1)), p.w2);
const tX = e(N, 2, 1);
const xX = e(N, 2, 0);
const loss = (p: Params, x: NDArray): NDArray => {
  const f = u(p);
  const ux = (z: NDArray) => jvp(f, [z], [xX])[1];
  const r = sub(add(jvp(f, [x], [tX])[1], mul(f(x), ux(x))), mul(0.1, jvp(ux, [x], [xX])[1]));
  return mean(square(r));
};
const params: Params = { w1: uniform([2, 8], 1), w2: uniform([8, 1], 2) };
const points = uniform([N, 2], 3);

function maxAbsDiff(a: NDArray, b: NDArray): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

describe('simplify', () => {
  it('computes the same value eagerly and under jit', () => {
    const ref = loss(params, points).item() as number;
    expect(simplify(loss)(params, points).item()).toBeCloseTo(ref, 14);
    expect(jit(simplify(loss))(params, points).item()).toBeCloseTo(ref, 14);
  });

  it('gives the gradient of the unsimplified loss, with fewer equations under jit', () => {
    const plain = jit(valueAndGrad(loss));
    const merged = jit(valueAndGrad(simplify(loss)));
    const [v0, g0] = plain(params, points);
    const [v1, g1] = merged(params, points);
    expect(v1.item()).toBeCloseTo(v0.item() as number, 14);
    expect(maxAbsDiff(g1.w1, g0.w1)).toBeLessThan(1e-13);
    expect(maxAbsDiff(g1.w2, g0.w2)).toBeLessThan(1e-13);
    // the eager gradient too (no jit anywhere)
    const g2 = grad(simplify(loss))(params, points);
    expect(maxAbsDiff(g2.w1, g0.w1)).toBeLessThan(1e-13);
    const count = (prog: { jaxpr: { eqns: readonly { primitive: string }[] } }, p: string) =>
      prog.jaxpr.eqns.filter((q) => q.primitive === p).length;
    const before = plain.lower(params, points);
    const after = merged.lower(params, points);
    // one forward pass of u, u_t, u_x, u_xx (4 streams) instead of u plus 2 + 2 + 4 — and so fewer
    // backward products too
    expect(count(after, 'tanh')).toBe(1);
    expect(count(after, 'matmul')).toBeLessThan(count(before, 'matmul'));
    expect(after.jaxpr.eqns.length).toBeLessThan(0.8 * before.jaxpr.eqns.length);
  });

  it('passes a function of no arrays through, and keeps pytree outputs', () => {
    expect(simplify(() => 3)()).toBe(3);
    const [a, b] = simplify((x: NDArray) => [mul(x, 2), { y: add(x, 1) }] as const)(array([1, 2]));
    expect(Array.from(a.dataSync())).toEqual([2, 4]);
    expect(Array.from(b.y.dataSync())).toEqual([2, 3]);
  });

  it('rests on two exact rewrites: identity reshapes drop out, and pass their tangent on as it is', () => {
    // how grad and jvp alias their arguments: reshape to the same shape
    const alias = (x: NDArray) => bind('reshape', [x], { shape: x.shape })[0]!;
    const x = uniform([3, 2], 4);
    const prog = makeJaxpr((z: NDArray) => add(tanh(z), tanh(alias(z))))(x);
    expect(prog.jaxpr.eqns.map((q) => q.primitive)).toEqual(['tanh', 'add']);
    // a program result that is an identity reshape of an input keeps its equation
    expect(makeJaxpr(alias)(x).jaxpr.eqns.map((q) => q.primitive)).toEqual(['reshape']);
    const t = uniform([3, 2], 5);
    expect(jvp(alias, [x], [t])[1]).toBe(t);
  });
});
