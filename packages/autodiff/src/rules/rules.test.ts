/**
 * Every differentiable primitive, one table row each (several for broadcasting, size-1 axes and parameter
 * variants), checked against central finite differences to second order in both modes with `checkGrads`.
 */
import {
  type NDArray,
  PRIMITIVES,
  array,
  astype,
  max,
  maximum,
  mul,
  prod,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { grad } from '../transforms/reverse.js';
import { ROWS } from '../test-utils/primitive-rows.js';
import { uniform } from '../test-utils/random.js';
import { jvpRules } from './jvp.js';
import { vjpRules } from './vjp.js';

describe('rules against central differences (order 2, fwd and rev)', () => {
  it.each(ROWS.map((r) => [`${r.primitive}: ${r.what}`, r] as const))('%s', (_name, r) => {
    const args = r.args();
    const report = checkGrads(r.fn, args, { order: 2 });
    expect(report.ok).toBe(true);
    expect(report.maxRelError).toBeLessThan(args[0]!.dtype === 'float32' ? 2e-2 : 1e-6);
  });
});

describe('rule tables', () => {
  it('have an entry for every primitive', () => {
    for (const p of PRIMITIVES) {
      expect(typeof vjpRules[p], p).toBe('function');
      expect(typeof jvpRules[p], p).toBe('function');
    }
  });

  it('cover every differentiable elementwise, reduction and structural primitive in the table above', () => {
    const tested = new Set(ROWS.map((r) => r.primitive));
    const untestedHere = [
      'less',
      'lessEqual',
      'greaterEqual',
      'equal',
      'notEqual',
      'argmin',
      'triangularSolve',
      'cholesky',
      'lu',
      'qr',
      'eigh',
      'svd',
    ];
    for (const p of PRIMITIVES) if (!untestedHere.includes(p)) expect(tested.has(p), p).toBe(true);
  });

  it('casts cotangents back to the input dtype (float32 round trip)', () => {
    const g = grad((x: NDArray) => sum(astype(mul(astype(x, 'float32'), 3), 'float64')))(
      array([1, 2]),
    );
    expect(g.dtype).toBe('float64');
    expect(g.toNested()).toEqual([3, 3]);
  });

  it('split the gradient of tied maxima evenly (as JAX)', () => {
    expect(grad((x: NDArray) => max(x))(array([1, 3, 3])).toNested()).toEqual([0, 0.5, 0.5]);
    expect(grad((x: NDArray) => sum(maximum(x, 1)))(array([0, 1, 2])).toNested()).toEqual([
      0, 0.5, 1,
    ]);
  });

  it('fall back to y/x for products too large for the all-but-one expansion', () => {
    const x = uniform([2100], 0.999, 1.001, 11);
    const g = grad((z: NDArray) => prod(z))(x).dataSync();
    const v = x.dataSync();
    let p = 1;
    for (const e of v) p *= e;
    for (let i = 0; i < v.length; i += 97) expect(g[i]!).toBeCloseTo(p / v[i]!, 12);
  });

  it('give the exact product rule when an entry is zero', () => {
    expect(grad((x: NDArray) => prod(x))(array([2, 0, 3])).toNested()).toEqual([0, 6, 0]);
  });
});
