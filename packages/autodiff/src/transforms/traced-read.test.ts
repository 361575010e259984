// Reading an array's values inside a transform that traces it is an error (JAX's tracer-conversion error):
// the transform sees only ops, so the number would be a constant to it and the derivative silently zero.
import {
  type NDArray,
  TracedValueError,
  array,
  diag,
  exp,
  lstsq,
  fromTypedArray,
  mul,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { grad, hessian, jacobian, jit, jvp, stopGradient, valueAndGrad, vjp } from '../index.js';

const x = array([1, 2]);
/** A scalar function that escapes the transform through JavaScript numbers. */
const escapes = (read: (v: NDArray) => number[]) => (v: NDArray) =>
  sum(fromTypedArray(Float64Array.from(read(v), (t) => t * t)));

const reads: [string, (v: NDArray) => number[]][] = [
  ['dataSync', (v) => Array.from(v.dataSync())],
  ['toNested', (v) => v.toNested() as number[]],
  ['item', (v) => [sum(v).item()]],
  ['get', (v) => [v.get(0)]],
];

describe('reading traced values', () => {
  const transforms: [string, (f: (v: NDArray) => NDArray) => unknown][] = [
    ['grad', (f) => grad(f)(x)],
    ['valueAndGrad', (f) => valueAndGrad(f)(x)],
    ['vjp', (f) => vjp(f, x)],
    ['jvp', (f) => jvp(f, [x], [array([1, 0])])],
    ['jacobian', (f) => jacobian(f)(x)],
    ['hessian', (f) => hessian(f)(x)],
  ];
  for (const [name, run] of transforms) {
    for (const [read, fn] of reads) {
      it(`${read}() inside ${name} throws a TracedValueError naming both and the fix`, () => {
        let caught: unknown;
        try {
          run(escapes(fn));
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(TracedValueError);
        const err = caught as TracedValueError;
        expect(err.op).toBe(read);
        expect(err.transform).toBe(name);
        expect(err.message).toMatch(new RegExp(`^${read}: .*traced by ${name}`));
        expect(err.message).toContain('stopGradient');
      });
    }
  }

  it('inside jit the same class names jit (the tracing backend raises it)', () => {
    const f = jit((v: NDArray) => sum(mul(v, v.dataSync()[0]!)));
    let caught: unknown;
    try {
      f(x);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TracedValueError);
    expect((caught as TracedValueError).transform).toBe('jit');
  });

  it('await data() inside grad rejects with the same error', async () => {
    let pending: Promise<unknown> | undefined;
    grad((v: NDArray) => {
      pending = mul(v, 2).data();
      return sum(v);
    })(x);
    await expect(pending).rejects.toThrow(TracedValueError);
  });

  it('constants, stopGradient and the results of a finished transform stay readable', () => {
    const c = array([3, 4]);
    const g = grad((v: NDArray) => {
      const k = c.dataSync()[0]!; // not connected to v
      const frozen = stopGradient(exp(v)).dataSync(); // explicitly a constant
      return sum(mul(v, k * frozen[0]!));
    })(x);
    expect(g.toNested()).toEqual([3 * Math.E, 3 * Math.E]);
  });

  it('printing a traced array shows a placeholder instead of throwing', () => {
    let text = '';
    grad((v: NDArray) => {
      text = String(mul(v, 2));
      return sum(v);
    })(x);
    expect(text).toBe('array(<traced by grad>, shape=(2,), dtype=float64, backend=cpu)');
  });

  it('library internals that take discrete decisions from values still run (lstsq rank under grad)', () => {
    // lstsq decides its rank from singular values: an internal read that must not trip the check
    for (const method of ['svd', 'qr'] as const) {
      const g = grad((v: NDArray) => sum(lstsq(diag(v), array([1, 1]), { method }).x))(x);
      const d = g.dataSync();
      expect(d[0]).toBeCloseTo(-1, 12); // d/dv Σ 1/vᵢ = −1/vᵢ²
      expect(d[1]).toBeCloseTo(-0.25, 12);
    }
  });
});
