import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { registerBackend, setBackend, unregisterBackend } from '../backend/registry.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { BackendError, DTypeError } from '../core/errors.js';
import { Generator } from '../random/generator.js';
import {
  arange,
  array,
  defaultFloatDType,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  zeros,
  zerosLike,
} from './creation.js';
import { add } from './elementwise.js';
import { toBackend, toBackendAsync } from './transfer.js';

/**
 * A host-memory backend that, like a GPU, has no float64: the CPU kernels with a narrower dtype list. It lets
 * the dtype-follows-backend rules be tested without a GPU (the GPU package repeats them on lavapipe).
 */
const f32Backend: Backend = {
  ...cpuBackend,
  name: 'f32-host',
  dtypes: ['float32', 'int32', 'bool'],
};
/** A backend readable only asynchronously (as a GPU is). */
const asyncOnly: Backend = {
  ...cpuBackend,
  name: 'async-host',
  dtypes: ['float32', 'int32', 'bool'],
  downloadSync: undefined,
};

describe('creation follows the backend', () => {
  afterEach(() => {
    setBackend('cpu');
    for (const b of [f32Backend, asyncOnly]) unregisterBackend(b.name);
  });

  it('defaults to float64 on the cpu and float32 on a backend without float64', () => {
    registerBackend(f32Backend);
    expect(defaultFloatDType()).toBe('float64');
    expect(defaultFloatDType('f32-host')).toBe('float32');
    const on = { backend: 'f32-host' };
    const made = [
      zeros([2], on),
      ones([2], on),
      full([2], 3, on),
      array([1, 2], on),
      arange(3, undefined, 1, on),
      linspace(0, 1, 3, on),
      eye(2, 2, on),
    ];
    for (const x of made) {
      expect(x.dtype).toBe('float32');
      expect(x.backend).toBe(f32Backend);
    }
    expect(zeros([2]).dtype).toBe('float64');
    // the selected backend sets the default too
    setBackend('f32-host');
    expect(ones([3]).dtype).toBe('float32');
    expect(array([true, false]).dtype).toBe('bool');
    // an explicit float64 is still refused, naming the fix
    expect(() => zeros([2], { dtype: 'float64' })).toThrow(DTypeError);
    expect(() => zeros([2], { dtype: 'float64' })).toThrow(/float32/);
  });

  it('Generator methods take { dtype, backend } and give the same stream on every backend', () => {
    registerBackend(f32Backend);
    const a = new Generator(7).normal([5], { backend: f32Backend });
    const b = new Generator(7).normal([5], { dtype: 'float32' });
    expect(a.dtype).toBe('float32');
    expect(a.backend).toBe(f32Backend);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const u = new Generator(1).uniform([4], { backend: 'f32-host', low: 2, high: 3 });
    expect(u.dtype).toBe('float32');
    for (const v of u.dataSync()) expect(v >= 2 && v < 3).toBe(true);
    const i = new Generator(1).integers(0, 5, [3], { backend: 'f32-host' });
    expect([i.dtype, i.backend.name]).toEqual(['int32', 'f32-host']);
    expect(new Generator(1).normal([2]).dtype).toBe('float64');
  });

  it('zerosLike/onesLike/fullLike copy shape, dtype and backend unless overridden', () => {
    registerBackend(f32Backend);
    const x = ones([2, 3], { backend: f32Backend });
    const z = zerosLike(x);
    expect([z.shape, z.dtype, z.backend.name]).toEqual([[2, 3], 'float32', 'f32-host']);
    expect(Array.from(onesLike(x).dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    const f = fullLike(zeros([2]), 2.5, { dtype: 'float32' });
    expect([f.dtype, f.backend.name, f.toNested()]).toEqual(['float32', 'cpu', [2.5, 2.5]]);
  });
});

describe('toBackend', () => {
  afterEach(() => {
    for (const b of [f32Backend, asyncOnly]) unregisterBackend(b.name);
  });

  it('copies to another backend; float64 to a float32-only backend needs an explicit dtype', () => {
    registerBackend(f32Backend);
    const x = array([
      [1.5, -2],
      [3, 4],
    ]);
    expect(() => toBackend(x, 'f32-host')).toThrow(DTypeError);
    const y = toBackend(x, 'f32-host', { dtype: 'float32' });
    expect([y.dtype, y.backend.name, y.shape]).toEqual(['float32', 'f32-host', [2, 2]]);
    expect(y.toNested()).toEqual([
      [1.5, -2],
      [3, 4],
    ]);
    // the copy is independent and the source stays valid (non-consuming)
    expect(x.isDisposed).toBe(false);
    // ops refuse mixed backends until the arrays are moved
    expect(() => add(x, y)).toThrow(/toBackend/);
    const back = toBackend(y, 'cpu', { dtype: 'float64' });
    expect(add(x, back).toNested()).toEqual([
      [3, -4],
      [6, 8],
    ]);
  });

  it('returns the array itself when it already lives there with that dtype', () => {
    const x = zeros([3]);
    expect(toBackend(x, cpuBackend)).toBe(x);
    expect(toBackend(x, 'cpu', { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('reads asynchronous backends with toBackendAsync; toBackend says so', async () => {
    registerBackend(asyncOnly);
    const g = zeros([2], { backend: asyncOnly });
    g.dispose();
    const x = full([2], 4, { backend: asyncOnly });
    expect(() => toBackend(x, 'cpu')).toThrow(BackendError);
    expect(() => toBackend(x, 'cpu')).toThrow(/toBackendAsync/);
    const y = await toBackendAsync(x, 'cpu');
    expect([y.dtype, y.backend.name, y.toNested()]).toEqual(['float32', 'cpu', [4, 4]]);
  });
});

describe('uniform/normal take the generator as the rng option', () => {
  it('match the Generator methods and refuse a missing rng', async () => {
    const { normal, uniform } = await import('../random/generator.js');
    expect(Array.from(uniform([4], { rng: new Generator(5), low: 2, high: 3 }).dataSync())).toEqual(
      Array.from(new Generator(5).uniform([4], { low: 2, high: 3 }).dataSync()),
    );
    expect(Array.from(normal([3], { rng: new Generator(6), std: 2 }).dataSync())).toEqual(
      Array.from(new Generator(6).normal([3], { std: 2 }).dataSync()),
    );
    expect(() => normal([3], {} as never)).toThrow(/rng/);
  });
});
