/**
 * Buffer donation (`jit(f, { donate })`, JAX's `donate_argnums`): a compiled program writes its results into
 * the memory of the arrays given up to it — the same numbers, bit for bit, as without donation — and the
 * given-up arrays are invalid afterwards. Memory that another array or the caller can still see is never
 * written.
 */
import {
  BackendError,
  type NDArray,
  ValueError,
  add,
  fromTypedArray,
  mul,
  reshape,
  sub,
  sum,
  tanh,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { uniform } from '../test-utils/random.js';
import { jit } from './jit.js';

/** A float64 array made by an op (its storage private to the library, unlike `fromTypedArray`'s). */
const fresh = (shape: readonly number[], seed: number): NDArray =>
  mul(uniform(shape, -1, 1, seed), 1);

/** The values of `x` as a plain array (a copy: reading the storage through `dataSync` would expose it). */
const values = (x: NDArray): number[] => Array.from(x.toNested() as number[]);

/** One SGD-with-momentum step: the new parameter and velocity (the optimiser's update, as a program). */
const momentum = (p: NDArray, v: NDArray, g: NDArray): [NDArray, NDArray] => {
  const v2 = add(mul(v, 0.9), g);
  return [sub(p, mul(v2, 0.01)), v2];
};

describe('jit with donated arguments', () => {
  it('writes the results into the donated memory, with the numbers of the undonated program', () => {
    const plain = jit(momentum);
    const donating = jit(momentum, { donate: [0, 1, 2] });
    const [p, v, g] = [fresh([300], 1), fresh([300], 2), fresh([300], 3)];
    const expected = plain(p, v, g).map(values);
    const given = new Set([p.handle, v.handle, g.handle]);
    const out = donating(p, v, g);
    expect(out.map(values)).toEqual(expected);
    for (const r of out) expect(given.has(r.handle)).toBe(true);
    expect(out[0]!.handle).not.toBe(out[1]!.handle);
  });

  it('never frees memory a result took over (the CPU storage pool would hand it out again)', () => {
    const f = (a: NDArray) => tanh(mul(a, 2));
    const donating = jit(f, { donate: 0 });
    const a = fresh([3000], 5);
    const expected = values(jit(f)(a));
    const storage = a.handle;
    const r = donating(a);
    expect(r.handle).toBe(storage);
    // allocations of the donated array's size must all get other memory, leaving the result intact
    const others = [0, 1, 2].map((k) => mul(fresh([3000], 10 + k), 3));
    for (const o of others) expect(o.handle).not.toBe(storage);
    expect(values(r)).toEqual(expected);
  });

  it('invalidates the donated arrays: a later use throws the typed already-freed error naming the donation', () => {
    const f = jit((a: NDArray, b: NDArray) => add(a, b), { donate: 0 });
    const a = fresh([8], 4);
    const b = fresh([8], 5);
    f(a, b);
    expect(a.isDisposed).toBe(true);
    expect(() => add(a, 1)).toThrow(BackendError);
    expect(() => a.toNested()).toThrow(/already freed \(donated to jit.*pass a copy.*'donate'/);
    // the argument that was not donated stays valid
    expect(values(b)).toHaveLength(8);
  });

  it('never writes memory a reshape view, a dataSync reader or fromTypedArray’s caller can still see', () => {
    const f = jit((a: NDArray, b: NDArray) => add(mul(a, 2), b), { donate: [0, 1] });
    const viewed = fresh([4, 6], 6);
    const view = reshape(viewed, [24]);
    const before = values(view);
    const read = fresh([4, 6], 7);
    const raw = read.dataSync();
    const rawBefore = Array.from(raw);
    const out = f(viewed, read);
    expect(values(view)).toEqual(before);
    expect(Array.from(raw)).toEqual(rawBefore);
    expect(out.handle).not.toBe(view.handle);
    expect(out.handle).not.toBe(raw);
    // the caller's typed array behind fromTypedArray is never a result's storage either
    const mine = new Float64Array(24).fill(0.5);
    const res = f(fromTypedArray(mine, [4, 6]), fresh([4, 6], 8));
    expect(Array.from(mine)).toEqual(new Array(24).fill(0.5));
    expect(res.handle).not.toBe(mine);
    // a disposed view no longer counts: the next donation may take the memory
    const shared = fresh([4, 6], 9);
    const v2 = reshape(shared, [24]);
    v2.dispose();
    const h = shared.handle;
    expect(f(shared, fresh([4, 6], 10)).handle).toBe(h);
  });

  it('a result that is one of the program’s arguments shares its storage: donating it spares the argument', () => {
    const passThrough = jit((a: NDArray, b: NDArray) => [a, add(a, b)]);
    const a = fresh([4, 6], 12);
    const before = values(a);
    const [same] = passThrough(a, fresh([4, 6], 13)) as NDArray[];
    expect(same!.handle).toBe(a.handle);
    const g = jit((x: NDArray, y: NDArray) => add(mul(x, 2), y), { donate: 0 });
    const out = g(same!, fresh([4, 6], 14));
    expect(values(a)).toEqual(before);
    expect(out.handle).not.toBe(a.handle);
  });

  it('counts views: an op whose result is its input’s storage blocks donation until the view is disposed', () => {
    const f = jit((a: NDArray, b: NDArray) => add(mul(a, 2), b), { donate: 0 });
    const x = fresh([3, 8], 15);
    const v1 = reshape(x, [24]);
    const v2 = reshape(v1, [2, 12]);
    const before = values(v2);
    v1.dispose();
    // v2 still sees the memory: x is read, not overwritten
    const out = f(x, fresh([3, 8], 16));
    expect(values(v2)).toEqual(before);
    expect(out.handle).not.toBe(v2.handle);
  });

  it('an array passed twice is read, not overwritten, and the result is right', () => {
    const f = jit((a: NDArray, b: NDArray) => add(mul(a, 3), b), { donate: 0 });
    const a = fresh([50], 11);
    const expected = values(add(mul(a, 3), a));
    const out = f(a, a);
    expect(values(out)).toEqual(expected);
    expect(a.isDisposed).toBe(true);
  });

  it('keeps inputs read by a later tanh segment intact while writing in place (float64, across blocks)', () => {
    // y1 is written in the first segment, and `a` is read again after the tanh: y1 must not take a's memory
    const f = (a: NDArray, b: NDArray): [NDArray, NDArray] => {
      const y1 = mul(a, 2);
      const t = tanh(mul(b, 3));
      return [y1, add(t, mul(a, a))];
    };
    const n = 10_000; // more than one 4 096-element block
    const eager = f(fresh([n], 12), fresh([n], 13)).map(values);
    const out = jit(f, { donate: [0, 1] })(fresh([n], 12), fresh([n], 13)).map(values);
    expect(out[0]).toEqual(eager[0]);
    expect(out[1]).toEqual(eager[1]);
  });

  it('a loop of donating steps equals the eager loop bit for bit, reusing the same memory every step', () => {
    const step = jit(momentum, { donate: [0, 1, 2] });
    let p = fresh([64, 32], 14);
    let v = fresh([64, 32], 15);
    let pe = fresh([64, 32], 14);
    let ve = fresh([64, 32], 15);
    const seen = new Set<unknown>([p.handle, v.handle]);
    let newMemory = 0;
    for (let k = 0; k < 6; k++) {
      [pe, ve] = momentum(pe, ve, fresh([64, 32], 100 + k));
      const g = fresh([64, 32], 100 + k);
      seen.add(g.handle);
      [p, v] = step(p, v, g);
      for (const h of [p.handle, v.handle]) if (!seen.has(h)) newMemory++;
    }
    expect(values(p)).toEqual(values(pe));
    expect(values(v)).toEqual(values(ve));
    expect(newMemory).toBe(0);
  });

  it('memory a program had no use for serves the next allocation of its size (the CPU storage pool)', () => {
    const reduce = jit((a: NDArray) => sum(mul(a, a)), { donate: 0 });
    const scale = jit((x: NDArray) => add(mul(x, 2), 1));
    const x = fresh([1000], 17);
    const expected = values(add(mul(x, 2), 1));
    scale(x); // traced and compiled now: a run's one allocation is its result
    const a = fresh([1000], 16);
    const h = a.handle;
    reduce(a);
    // the pool hands out last-in first: the program's dead product a·a, then the donated a
    const outs = [scale(x), scale(x)];
    expect(outs.map((o) => o.handle)).toContain(h);
    for (const o of outs) expect(values(o)).toEqual(expected);
  });

  it('a donated argument the program never reads (last call’s results) holds this call’s results', () => {
    // per-example outer products, scaled (one generated loop): one call's results are given back for the next
    const outer = (a: NDArray, b: NDArray): NDArray =>
      mul(mul(reshape(a, [8, 16, 1]), reshape(b, [8, 1, 12])), 0.5);
    const step = jit((a: NDArray, b: NDArray, _last: NDArray) => outer(a, b), { donate: 2 });
    let last = jit(outer)(fresh([8, 16], 30), fresh([8, 12], 31));
    for (let k = 0; k < 4; k++) {
      const [a, b] = [fresh([8, 16], 40 + k), fresh([8, 12], 50 + k)];
      const expected = values(outer(a, b));
      const h = last.handle;
      const given = last;
      last = step(a, b, last);
      expect(last.handle).toBe(h);
      expect(values(last)).toEqual(expected);
      expect(given === last || given.isDisposed).toBe(true);
    }
    // the same argument not donated: read-only, so the result takes fresh memory
    const keep = jit((a: NDArray, b: NDArray, _last: NDArray) => outer(a, b));
    const mine = fresh([8, 16, 12], 60);
    expect(keep(fresh([8, 16], 61), fresh([8, 12], 62), mine).handle).not.toBe(mine.handle);
    expect(mine.isDisposed).toBe(false);
  });

  it('refuses a donated static argument and a donated position past the arguments', () => {
    expect(() =>
      jit((a: NDArray, k: number) => mul(a, k), { staticArgnums: 1, donate: 1 }),
    ).toThrow(ValueError);
    const f = jit((a: NDArray) => mul(a, 2), { donate: 3 });
    expect(() => f(fresh([2], 18))).toThrow(/donate 3 is out of range for a call with 1 arguments/);
  });
});
