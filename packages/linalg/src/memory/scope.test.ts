import { describe, expect, it } from 'vitest';
import { BackendError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { array, zeros } from '../ops/creation.js';
import { add, exp, mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { keep, scope, scopesAreAsyncAware } from './scope.js';
import { memoryStats } from './stats.js';

/** Resolves after the current macrotask, so concurrent jobs really interleave. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('scope (cpu)', () => {
  it('frees the temporaries of a sync scope and keeps what it returns', () => {
    const x = array([1, 2, 3]);
    let t: NDArray | undefined;
    const y = scope(() => {
      t = mul(x, x);
      expect(memoryStats('cpu').scopedArrays).toBeGreaterThanOrEqual(1);
      return { y: add(t, 1), n: 3 };
    });
    expect(t!.isDisposed).toBe(true);
    expect(x.isDisposed).toBe(false);
    expect(y.y.toNested()).toEqual([2, 5, 10]);
    expect(memoryStats('cpu').scopedArrays).toBe(0);
  });

  it('a value returned from an inner scope moves to the outer one and is freed there', () => {
    let inner: NDArray | undefined;
    scope(() => {
      inner = scope(() => exp(zeros([2])));
      expect(inner.isDisposed).toBe(false);
      expect(memoryStats('cpu').scopedArrays).toBe(1);
    });
    expect(inner!.isDisposed).toBe(true);
  });

  it('frees everything when the function throws', () => {
    let t: NDArray | undefined;
    expect(() =>
      scope(() => {
        t = zeros([3]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t!.isDisposed).toBe(true);
  });

  it('using an array a scope freed is a BackendError that names the scope and the fix', () => {
    const t = scope(() => {
      zeros([2]);
      return undefined;
    });
    expect(t).toBeUndefined();
    let freed: NDArray | undefined;
    scope(() => {
      freed = zeros([2]);
    });
    expect(() => exp(freed!)).toThrow(BackendError);
    expect(() => exp(freed!)).toThrow(/already freed \(by scope\).*keep/);
  });

  it('keep exempts arrays from every scope', () => {
    let kept: { m: NDArray } | undefined;
    let temp: NDArray | undefined;
    scope(() => {
      kept = keep({ m: zeros([4]) });
      temp = zeros([4]);
    });
    expect(kept!.m.isDisposed).toBe(false);
    expect(temp!.isDisposed).toBe(true);
  });

  it('an async scope across await frees every temporary when its promise settles', async () => {
    const temps: NDArray[] = [];
    const before = memoryStats('cpu').scopedArrays;
    const result = await scope(async () => {
      temps.push(array([1, 2]));
      await tick();
      temps.push(mul(temps[0]!, 3));
      await tick();
      temps.push(exp(temps[1]!));
      return sum(temps[1]!);
    });
    expect(result.item()).toBe(9);
    expect(temps.every((t) => t.isDisposed)).toBe(true);
    expect(memoryStats('cpu').scopedArrays).toBe(before);
  });

  it('an async scope frees its temporaries when its promise rejects', async () => {
    let t: NDArray | undefined;
    await expect(
      scope(async () => {
        t = zeros([2]);
        await tick();
        throw new Error('later');
      }),
    ).rejects.toThrow('later');
    expect(t!.isDisposed).toBe(true);
  });

  it('two concurrent jobs interleaved at await never free each other’s arrays', async () => {
    expect(scopesAreAsyncAware()).toBe(true); // Node: AsyncLocalStorage
    const created: Record<'a' | 'b', NDArray[]> = { a: [], b: [] };
    const one = array([1, 1, 1, 1]); // outside every scope: each job step creates exactly one array
    const job = (name: 'a' | 'b', steps: number) =>
      scope(async () => {
        let x: NDArray = array([1, 2, 3, 4]);
        created[name].push(x);
        for (let i = 0; i < steps; i++) {
          await tick();
          x = add(x, one);
          created[name].push(x);
        }
        return x;
      });
    const a = job('a', 2);
    const bDone = job('b', 6);
    // while a runs both jobs hold their arrays in their own scopes
    await tick();
    expect(memoryStats('cpu').scopedArrays).toBeGreaterThanOrEqual(3);
    const ra = await a;
    // job a closed its scope while b was still creating arrays: b's must all be alive
    expect(created.b.length).toBeGreaterThan(1);
    expect(created.b.every((x) => !x.isDisposed)).toBe(true);
    expect(created.a.slice(0, -1).every((x) => x.isDisposed)).toBe(true);
    expect(ra.toNested()).toEqual([3, 4, 5, 6]);
    // b's arrays are counted as scoped (b's scope is open), a's are not
    expect(memoryStats('cpu').scopedArrays).toBe(created.b.length);
    const rb = await bDone;
    expect(rb.toNested()).toEqual([7, 8, 9, 10]);
    expect(created.b.slice(0, -1).every((x) => x.isDisposed)).toBe(true);
    expect(memoryStats('cpu').scopedArrays).toBe(0);
  });

  it('an array disposed inside a scope leaves its bookkeeping: 10⁴ create+dispose keep it flat', () => {
    const counts: number[] = [];
    const kept = scope(() => {
      const held = zeros([2]);
      for (let i = 0; i < 10_000; i++) {
        const z = zeros([4]);
        const t = add(z, z);
        z.dispose();
        t.dispose();
        if (i % 2500 === 0) counts.push(memoryStats('cpu').scopedArrays);
      }
      counts.push(memoryStats('cpu').scopedArrays);
      return held;
    });
    expect(counts).toEqual([1, 1, 1, 1, 1]);
    expect(kept.isDisposed).toBe(false);
    expect(memoryStats('cpu').scopedArrays).toBe(0);
  });

  it('memoryStats reports scoped bytes and no device counters on the cpu', () => {
    scope(() => {
      zeros([10]);
      zeros([3], { dtype: 'float32' });
      const s = memoryStats();
      expect(s).toEqual({ backend: 'cpu', scopedArrays: 2, scopedBytes: 92, device: undefined });
    });
  });
});
