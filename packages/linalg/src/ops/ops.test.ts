import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { Generator } from '../random/generator.js';
import { arange, array, eye, full, linspace, zeros } from './creation.js';
import { add, clip, isfinite, mul, relu, sub } from './elementwise.js';
import { fromMlMatrix, toMlMatrix } from './interop.js';
import { diag, dot, kron, matmul, norm, outer, trace, unvec, vec } from './linear.js';
import { argmax, logsumexp, mean, std, sum, variance } from './reduce.js';
import {
  concat,
  expandDims,
  reshape,
  slice,
  split,
  squeeze,
  stack,
  take,
  transpose,
} from './shape.js';

const close = (a: number, b: number, tol = 1e-12) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('creation', () => {
  it('builds arrays from nested lists, typed arrays and shapes', () => {
    const a = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float64');
    expect(a.get(1, -1)).toBe(6);
    expect(array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('float32');
    expect(array([true, false]).dtype).toBe('bool');
    expect(full([2], 7).toNested()).toEqual([7, 7]);
    expect(eye(2, 3, { k: 1 }).toNested()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(arange(5).toNested()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(5, 0, -2).toNested()).toEqual([5, 3, 1]);
    const l = linspace(0, 1, 11).dataSync();
    expect(l[10]).toBe(1);
    close(l[3]!, 0.3, 1e-15);
  });

  it('rejects ragged lists and bad shapes with typed errors', () => {
    expect(() => array([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => zeros([-1])).toThrow(ShapeError);
    expect(() => array(new Float64Array(5), { shape: [2, 2] })).toThrow(/needs 4 elements/);
    expect(() => arange(0, 1, 0)).toThrow(ValueError);
  });
});

describe('broadcasting and elementwise', () => {
  it('broadcasts like NumPy and names both shapes on failure', () => {
    const a = reshape(arange(6), [2, 3]);
    expect(add(a, array([10, 20, 30])).toNested()).toEqual([
      [10, 21, 32],
      [13, 24, 35],
    ]);
    expect(() => add(a, array([1, 2]))).toThrow(/shapes \(2, 3\), \(2,\) cannot be broadcast/);
  });

  it('keeps scalars weakly typed and promotes mixed arrays to float64', () => {
    const f32 = array([1, 2], { dtype: 'float32' });
    expect(mul(f32, 2).dtype).toBe('float32');
    expect(add(f32, array([1, 1])).dtype).toBe('float64');
  });

  it('relu, clip and isfinite', () => {
    const x = array([-2, -0.5, 0, 3, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(Array.from(relu(x).dataSync()).slice(0, 4)).toEqual([0, 0, 0, 3]);
    expect(Array.from(clip(x, -1, 1).dataSync()).slice(0, 4)).toEqual([-1, -0.5, 0, 1]);
    expect(isfinite(x).toNested()).toEqual([true, true, true, true, false, false]);
    expect(() => isfinite(array([1], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('reductions', () => {
  const x = array([
    [1, 2, 3, 4],
    [2, 4, 6, 8],
  ]);

  it('sum, mean, var and std agree with closed forms', () => {
    expect(sum(x).item()).toBe(30);
    expect(sum(x, { axis: 0 }).toNested()).toEqual([3, 6, 9, 12]);
    expect(mean(x, { axis: 1, keepdims: true }).toNested()).toEqual([[2.5], [5]]);
    close(variance(x, { axis: 1 }).get(0), 1.25);
    close(variance(x, { axis: 1, ddof: 1 }).get(1), 20 / 3);
    close(std(x).item(), Math.sqrt(variance(x).item()));
    expect(argmax(x).item()).toBe(7);
    expect(argmax(x, { axis: 1 }).toNested()).toEqual([3, 3]);
  });

  it('logsumexp is stable for huge and −∞ inputs', () => {
    close(logsumexp(array([1000, 1000])).item(), 1000 + Math.log(2));
    expect(logsumexp(array([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
    close(logsumexp(array([[0, Math.log(3)]]), { axis: 1 }).get(0), Math.log(4));
  });

  it('pairwise summation keeps float sums accurate', () => {
    const n = 1_000_000;
    const v = full([n], 0.1);
    close(sum(v).item(), 100000, 1e-12);
  });
});

describe('shape ops', () => {
  const a = reshape(arange(24), [2, 3, 4]);

  it('reshape, transpose, squeeze, expandDims', () => {
    expect(reshape(a, [4, -1]).shape).toEqual([4, 6]);
    expect(() => reshape(a, [5, -1])).toThrow(ShapeError);
    const t = transpose(a, [2, 0, 1]);
    expect(t.shape).toEqual([4, 2, 3]);
    expect(t.get(3, 1, 2)).toBe(a.get(1, 2, 3));
    expect(transpose(a).shape).toEqual([4, 3, 2]);
    expect(squeeze(expandDims(a, 1)).shape).toEqual([2, 3, 4]);
    expect(() => squeeze(a, 0)).toThrow(/axis 0 has size 2/);
  });

  it('slices with ranges, steps and negative indices like Python', () => {
    expect(slice(arange(10), '::-3').toNested()).toEqual([9, 6, 3, 0]);
    expect(slice(arange(10), '-3:').toNested()).toEqual([7, 8, 9]);
    expect(slice(arange(10), { start: 8, stop: 2, step: -2 }).toNested()).toEqual([8, 6, 4]);
    expect(slice(a, 1, null, -1).toNested()).toEqual([15, 19, 23]);
    expect(slice(arange(5), '3:1').shape).toEqual([0]);
    expect(() => slice(arange(5), 'a:b')).toThrow(ValueError);
  });

  it('concat, stack, split, take', () => {
    const m = reshape(arange(6), [2, 3]);
    expect(concat([m, m], { axis: 0 }).shape).toEqual([4, 3]);
    expect(stack([m, m], { axis: 2 }).shape).toEqual([2, 3, 2]);
    expect(split(concat([m, m], { axis: 1 }), 2, { axis: -1 })[1]!.shape).toEqual([2, 3]);
    // the old positional axis is refused with the fix, not silently read as axis 0
    expect(() => concat([m, m], 1 as never)).toThrow(/concat\(…, \{ axis: 1 \}\)/);
    const parts = split(arange(10), [3, 7]);
    expect(parts.map((p) => p.toNested())).toEqual([
      [0, 1, 2],
      [3, 4, 5, 6],
      [7, 8, 9],
    ]);
    expect(take(m, [2, 0], 1).toNested()).toEqual([
      [2, 0],
      [5, 3],
    ]);
    expect(() => take(m, [3], 1)).toThrow(/out of bounds/);
  });
});

describe('linear algebra ops', () => {
  const rng = new Generator(3);

  it('matmul matches ml-matrix on odd shapes, incl. batches and vectors', () => {
    const A = rng.normal([7, 5]);
    const B = rng.normal([5, 3]);
    const ref = toMlMatrix(A, Matrix).mmul(toMlMatrix(B, Matrix));
    const C = matmul(A, B);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 3; j++) close(C.get(i, j), ref.get(i, j));
    const batch = matmul(rng.normal([4, 1, 2, 3]), rng.normal([5, 3, 2]));
    expect(batch.shape).toEqual([4, 5, 2, 2]);
    const v = rng.normal([5]);
    expect(matmul(A, v).shape).toEqual([7]);
    expect(dot(v, v).shape).toEqual([]);
    close(dot(v, v).item(), sum(mul(v, v)).item());
    expect(() => matmul(A, A)).toThrow(/inner dimensions differ/);
  });

  it('kron and vec satisfy vec(AXB) = (Bᵀ ⊗ A) vec(X)', () => {
    const A = rng.normal([3, 2]);
    const X = rng.normal([2, 4]);
    const B = rng.normal([4, 2]);
    const lhs = vec(matmul(matmul(A, X), B));
    const rhs = matmul(kron(transpose(B), A), vec(X));
    const d = sub(lhs, rhs).dataSync();
    for (const v of d) expect(Math.abs(v)).toBeLessThan(1e-12);
    expect(unvec(vec(X), 2, 4).toNested()).toEqual(X.toNested());
  });

  it('outer, trace, diag', () => {
    expect(outer(array([1, 2]), array([3, 4, 5])).toNested()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(trace(reshape(arange(9), [3, 3])).item()).toBe(12);
    expect(diag(array([1, 2]), 1).toNested()).toEqual([
      [0, 1, 0],
      [0, 0, 2],
      [0, 0, 0],
    ]);
    expect(diag(reshape(arange(6), [2, 3]), 1).toNested()).toEqual([1, 5]);
  });

  it('vector and matrix norms', () => {
    const v = array([3, -4]);
    expect(norm(v).item()).toBe(5);
    expect(norm(v, 1).item()).toBe(7);
    expect(norm(v, Number.POSITIVE_INFINITY).item()).toBe(4);
    close(norm(v, 3).item(), (27 + 64) ** (1 / 3));
    const m = array([
      [1, -2],
      [3, 4],
    ]);
    close(norm(m).item(), Math.sqrt(30));
    expect(norm(m, 1).item()).toBe(6);
    expect(norm(m, Number.POSITIVE_INFINITY).item()).toBe(7);
  });

  it('round-trips ml-matrix', () => {
    const m = new Matrix([
      [1, 2],
      [3, 4],
    ]);
    const a = fromMlMatrix(m);
    expect(a.toNested()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(toMlMatrix(a, Matrix).to2DArray()).toEqual(m.to2DArray());
  });
});

describe('Generator', () => {
  it('is reproducible and splits into independent streams', () => {
    const a = new Generator(123).normal([5]).dataSync();
    const b = new Generator(123).normal([5]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    const g = new Generator(123);
    const child = g.split();
    expect(child.nextUint32()).not.toBe(new Generator(123).nextUint32());
  });

  it('has the right first two moments (n = 200 000, 5σ bounds)', () => {
    const n = 200_000;
    const g = new Generator(9);
    const u = g.uniform([n]);
    const z = g.normal([n]);
    const se = (s: number) => (5 * s) / Math.sqrt(n);
    expect(Math.abs(mean(u).item() - 0.5)).toBeLessThan(se(Math.sqrt(1 / 12)));
    expect(Math.abs(variance(u).item() - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    expect(Math.abs(mean(z).item())).toBeLessThan(se(1));
    expect(Math.abs(variance(z).item() - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const ints = g.integers(0, 3, [30_000]).dataSync();
    const counts = [0, 0, 0];
    for (const v of ints) counts[v]!++;
    for (const c of counts)
      expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(30_000 * (1 / 3) * (2 / 3)));
  });

  it('permutation contains every index once', () => {
    const p = new Generator(1).permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
