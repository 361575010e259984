/**
 * The CPU storage pool: a disposed array's storage serves the next allocation of its type and length, zero
 * filled — and never storage that something else can still see (a view, the caller's own typed array, a
 * `dataSync` read), so reuse cannot change any live array's values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ValueError } from './errors.js';
import { hostPoolStats, setHostPoolLimit } from './host-pool.js';
import type { NDArray } from './ndarray.js';
import { arange, fromTypedArray, zeros } from '../ops/creation.js';
import { add, mul } from '../ops/elementwise.js';
import { reshape } from '../ops/shape.js';
import { scope } from '../memory/scope.js';

const N = 1000; // 8 000 bytes of float64: above the pool's 64-byte floor

/** A float64 array made by an op, so its storage is private to the library. */
const made = (n = N, start = 1): NDArray => add(arange(n), start);

afterEach(() => setHostPoolLimit(256 * 1024 * 1024));

describe('CPU storage pool', () => {
  it('reuses the storage of a disposed array for the next allocation of its size, zero-filled', () => {
    const a = made();
    const storage = a.handle;
    const before = hostPoolStats();
    a.dispose();
    expect(hostPoolStats().recycled).toBe(before.recycled + 1);
    const z = zeros([N]);
    expect(z.handle).toBe(storage);
    expect(hostPoolStats().hits).toBe(before.hits + 1);
    expect((z.toNested() as number[]).every((v) => v === 0)).toBe(true);
    // an op's result drawn from the pool holds exactly its own values
    const b = made();
    b.dispose();
    const c = mul(made(N, 2), 3);
    expect(c.get(0)).toBe(6);
    expect(c.get(N - 1)).toBe(3 * (N + 1));
  });

  it('keeps the storage of a reshape view until the last holder is disposed', () => {
    const a = made();
    const storage = a.handle;
    const v = reshape(a, [10, 100]);
    const before = hostPoolStats().recycled;
    a.dispose();
    expect(hostPoolStats().recycled).toBe(before);
    // the view's values survive allocations of the same size
    const z = zeros([N]);
    expect(z.handle).not.toBe(storage);
    expect(v.get(9, 99)).toBe(N);
    v.dispose();
    expect(hostPoolStats().recycled).toBe(before + 1);
  });

  it('never takes storage handed out raw: dataSync, the caller’s own typed array', () => {
    const a = made();
    const read = a.dataSync();
    const mine = new Float64Array(N).fill(7);
    const b = fromTypedArray(mine, [N]);
    const before = hostPoolStats().recycled;
    a.dispose();
    b.dispose();
    expect(hostPoolStats().recycled).toBe(before);
    zeros([N]);
    zeros([N]);
    expect(read[N - 1]).toBe(N);
    expect(mine.every((v) => v === 7)).toBe(true);
  });

  it('a closing scope recycles its temporaries, and a loop of scoped steps reuses them', () => {
    const x = made();
    const step = () => scope(() => mul(add(mul(x, x), 1), 2).get(3));
    step();
    const before = hostPoolStats();
    for (let k = 0; k < 5; k++) expect(step()).toBe(2 * (16 + 1));
    const after = hostPoolStats();
    // every temporary of a step after the first is drawn from the pool and given back to it
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(5 * 3);
    expect(after.recycled - before.recycled).toBe(after.hits - before.hits);
  });

  it('leaves small arrays to the JS heap', () => {
    const before = hostPoolStats().recycled;
    made(8).dispose(); // 64 bytes: V8 keeps it inside the JS heap
    expect(hostPoolStats().recycled).toBe(before);
  });

  it('is bounded: the oldest entries go first, and a limit of 0 turns it off', () => {
    setHostPoolLimit(3 * 8 * N);
    const arrays = [made(), made(), made(), made()];
    const first = arrays[0]!.handle;
    for (const a of arrays) a.dispose();
    expect(hostPoolStats().pooledBytes).toBeLessThanOrEqual(3 * 8 * N);
    const drawn = [zeros([N]), zeros([N]), zeros([N]), zeros([N])].map((z) => z.handle);
    expect(drawn).not.toContain(first);
    setHostPoolLimit(0);
    expect(hostPoolStats()).toMatchObject({ pooledArrays: 0, pooledBytes: 0, limitBytes: 0 });
    const before = hostPoolStats().recycled;
    made().dispose();
    expect(hostPoolStats().recycled).toBe(before);
  });

  it('refuses a limit that is not a finite number of bytes >= 0', () => {
    expect(() => setHostPoolLimit(-1)).toThrow(ValueError);
    expect(() => setHostPoolLimit(Number.NaN)).toThrow(/setHostPoolLimit.*finite number of bytes/);
    expect(() => setHostPoolLimit(Number.POSITIVE_INFINITY)).toThrow(ValueError);
  });
});
