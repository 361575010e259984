/**
 * checkpoint, cond, whileLoop and scan: eager values, derivatives (against the unrolled loop and central
 * differences to order 2), and behaviour under jit and vmap.
 */
import {
  type NDArray,
  add,
  array,
  astype,
  greater,
  matmul,
  mul,
  neg,
  scalar,
  sin,
  sub,
  sum,
  tanh,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { jit } from '../staging/jit.js';
import { vmap } from '../staging/vmap.js';
import { uniform } from '../test-utils/random.js';
import { nextLevel, withTransform } from '../trace/levels.js';
import { Tape } from '../trace/tape.js';
import { alias } from '../trace/trace.js';
import { checkpoint } from './checkpoint.js';
import { cond, scan, whileLoop } from './control.js';
import { jvp } from './forward.js';
import { grad } from './reverse.js';

function maxRelDiff(a: NDArray, b: NDArray): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (d > 0) worst = Math.max(worst, d / Math.max(Math.abs(y[i]!), 1e-300));
  }
  return worst;
}

describe('checkpoint', () => {
  const w = mul(uniform([32, 32], -1, 1, 1), 0.3);
  const layer = (h: NDArray): NDArray => tanh(add(matmul(h, w), h));
  const block = (h: NDArray): NDArray => {
    let z = h;
    for (let i = 0; i < 10; i++) z = layer(z);
    return z;
  };
  const plain = (x: NDArray): NDArray => sum(block(block(block(block(block(x))))));
  const saved = checkpoint(block);
  const remat = (x: NDArray): NDArray => sum(saved(saved(saved(saved(saved(x))))));
  const x = uniform([4, 32], -1, 1, 2);

  it('gives the same gradient (to rounding) and passes checkGrads to order 2', () => {
    expect(maxRelDiff(grad(remat)(x), grad(plain)(x))).toBeLessThanOrEqual(1e-12);
    const small = checkpoint((h: NDArray) => sin(mul(h, h)));
    expect(checkGrads((y: NDArray) => sum(small(small(y))), [x], { order: 2 }).ok).toBe(true);
  });

  it('keeps only block inputs on the tape of a 50-layer chain', () => {
    const record = (f: (y: NDArray) => NDArray) => {
      const xa = alias(x);
      const tape = new Tape(nextLevel(), [xa]);
      withTransform(tape, () => f(xa));
      return { entries: tape.entryCount, elements: tape.retainedElements() };
    };
    const full = record(plain);
    const light = record(remat);
    // 50 layers × (matmul, add, tanh) against 5 checkpointed blocks and the final sum
    expect(full.entries).toBe(151);
    expect(light.entries).toBe(6);
    expect(light.elements * 8).toBeLessThan(full.elements);
  });

  it('composes with jit and vmap', () => {
    expect(maxRelDiff(jit(grad(remat))(x), grad(plain)(x))).toBeLessThanOrEqual(1e-12);
    const perRow = vmap(grad((r: NDArray) => sum(saved(r))));
    const loopRow = vmap(grad((r: NDArray) => sum(block(r))));
    expect(maxRelDiff(perRow(x), loopRow(x))).toBeLessThanOrEqual(1e-12);
  });
});

describe('cond', () => {
  const f = (x: NDArray): NDArray =>
    cond(
      greater(sum(x), 0),
      (y: NDArray) => mul(y, y),
      (y: NDArray) => neg(sin(y)),
      x,
    );

  it('takes one branch eagerly, and differentiates that branch', () => {
    const pos = array([1, 2]);
    const negv = array([-1, -2]);
    expect(f(pos).toNested()).toEqual([1, 4]);
    expect(maxRelDiff(f(negv), neg(sin(negv)))).toBe(0);
    expect(grad((x: NDArray) => sum(f(x)))(pos).toNested()).toEqual([2, 4]);
    expect(checkGrads((x: NDArray) => sum(f(x)), [negv], { order: 2 }).ok).toBe(true);
  });

  it('under jit selects on the traced predicate and equals eager on both sides', () => {
    const jf = jit(f);
    for (const x of [array([1, 2]), array([-1, -2])]) {
      expect(maxRelDiff(jf(x), f(x))).toBe(0);
      expect(
        maxRelDiff(jit(grad((y: NDArray) => sum(f(y))))(x), grad((y: NDArray) => sum(f(y)))(x)),
      ).toBe(0);
    }
    expect(jf.stats.traces).toBe(1);
  });

  it('under vmap picks the branch per example', () => {
    const xs = array([
      [1, 2],
      [-1, -2],
      [3, -1],
    ]);
    const got = vmap(f)(xs);
    const rows = [array([1, 2]), array([-1, -2]), array([3, -1])].map(f);
    expect(got.toNested()).toEqual(rows.map((r) => r.toNested()));
  });

  it('rejects branches of different shapes under a trace', () => {
    const bad = jit((x: NDArray) =>
      cond(
        greater(sum(x), 0),
        (y: NDArray) => y,
        (y: NDArray) => sum(y),
        x,
      ),
    );
    expect(() => bad(array([1, 2]))).toThrow(/must match/);
  });
});

describe('whileLoop', () => {
  const halve = (x: NDArray) =>
    whileLoop(
      (c: NDArray) => greater(c, 1),
      (c: NDArray) => mul(c, 0.5),
      x,
      { maxSteps: 20 },
    );

  it('runs eagerly and differentiates like the unrolled steps', () => {
    expect(halve(scalar(40)).item()).toBe(0.625);
    // six halvings: d/dx = 2⁻⁶
    expect(grad(halve)(scalar(40)).item()).toBe(1 / 64);
    const [, dy] = jvp(halve, [scalar(40)], [scalar(1)]);
    expect(dy.item()).toBe(1 / 64);
  });

  it('under jit and vmap runs maxSteps masked steps with the same result', () => {
    expect(jit(halve)(scalar(40)).item()).toBe(0.625);
    expect(vmap(halve)(array([40, 3, 0.5])).toNested()).toEqual([0.625, 0.75, 0.5]);
  });

  it('asks for maxSteps under a trace, and stops a runaway loop eagerly', () => {
    const unbounded = jit((x: NDArray) =>
      whileLoop(
        (c: NDArray) => greater(c, 1),
        (c: NDArray) => mul(c, 0.5),
        x,
      ),
    );
    expect(() => unbounded(scalar(4))).toThrow(/maxSteps/);
    expect(() =>
      whileLoop(
        (c: NDArray) => greater(c, 0),
        (c: NDArray) => add(c, 1),
        scalar(1),
        { maxSteps: 5 },
      ),
    ).toThrow(/still holds after maxSteps = 5/);
  });
});

describe('scan', () => {
  // dy/dt = −θ·y + sin(t), one classical RK4 step of size h
  const h = 0.001;
  const rhs = (theta: NDArray, y: NDArray, t: number): NDArray =>
    add(mul(neg(theta), y), Math.sin(t));
  const rk4 = (theta: NDArray, y: NDArray, t: number): NDArray => {
    const k1 = rhs(theta, y, t);
    const k2 = rhs(theta, add(y, mul(k1, h / 2)), t + h / 2);
    const k3 = rhs(theta, add(y, mul(k2, h / 2)), t + h / 2);
    const k4 = rhs(theta, add(y, mul(k3, h)), t + h);
    return add(y, mul(add(add(k1, mul(k2, 2)), add(mul(k3, 2), k4)), h / 6));
  };
  const times: NDArray = array(Array.from({ length: 1000 }, (_, i) => i * h));
  const viaScan = (theta: NDArray, opts = {}) =>
    scan(
      (y: NDArray, t: NDArray) => {
        const next = rk4(theta, y, t.item());
        return [next, next] as const;
      },
      array([1, -0.5]),
      times,
      opts,
    );
  const unrolled = (theta: NDArray): NDArray => {
    let y: NDArray = array([1, -0.5]);
    for (let i = 0; i < 1000; i++) y = rk4(theta, y, i * h);
    return y;
  };
  const theta = array([0.7, 1.3]);

  it('1 000 RK4 steps: the final state and gradient equal the unrolled loop', () => {
    const [yT, traj] = viaScan(theta);
    expect(maxRelDiff(yT, unrolled(theta))).toBe(0);
    expect(traj!.shape).toEqual([1000, 2]);
    const gScan = grad((th: NDArray) => sum(viaScan(th)[0]))(theta);
    const gLoop = grad((th: NDArray) => sum(unrolled(th)))(theta);
    expect(maxRelDiff(gScan, gLoop)).toBe(0);
    const gRemat = grad((th: NDArray) => sum(viaScan(th, { checkpoint: true })[0]))(theta);
    expect(maxRelDiff(gRemat, gLoop)).toBeLessThanOrEqual(1e-14);
    // under jit the 1 000 steps and their backward pass fuse into generated loops: same numbers
    const compiled = jit(grad((th: NDArray) => sum(unrolled(th))));
    expect(maxRelDiff(compiled(theta), gLoop)).toBeLessThanOrEqual(1e-14);
  });

  it('passes checkGrads to order 2 (an RNN cell over 5 steps), reverse and length-only forms', () => {
    const w = uniform([3, 3], -0.5, 0.5, 3);
    const rnn = (h0: NDArray, xs: NDArray) =>
      sum(
        scan(
          (hh: NDArray, x: NDArray) => {
            const next = tanh(add(matmul(w, hh), x));
            return [next, sum(next)] as const;
          },
          h0,
          xs,
        )[1]!,
      );
    expect(
      checkGrads(rnn, [uniform([3], -1, 1, 4), uniform([5, 3], -1, 1, 5)], { order: 2 }).ok,
    ).toBe(true);
    const [, order] = scan(
      (c: NDArray, x: NDArray) => [add(c, x), c] as const,
      scalar(0),
      array([1, 2, 3]),
      { reverse: true },
    );
    expect(order!.toNested()).toEqual([5, 3, 0]);
    const [count] = scan((c: NDArray) => [add(c, 1), null] as const, scalar(0), null, {
      length: 4,
    });
    expect(count.item()).toBe(4);
  });

  it('runs inside jit', () => {
    const cumsum = jit(
      (xs: NDArray) =>
        scan((c: NDArray, x: NDArray) => [add(c, x), add(c, x)] as const, scalar(0), xs)[1]!,
    );
    expect(cumsum(array([1, 2, 3])).toNested()).toEqual([1, 3, 6]);
    expect(astype(sub(cumsum(array([1, 1])), array([1, 2])), 'float64').toNested()).toEqual([0, 0]);
  });
});
