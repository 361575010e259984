import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { array, ones, zeros } from './creation.js';
import { angle, complex, conj, imag, real, viewAsComplex, viewAsReal } from './complex.js';
import { abs, add, astype, div, exp, mul, neg, sin, sub } from './elementwise.js';
import { matmul } from './linear.js';
import { mean, sum } from './reduce.js';
import { concat, reshape, slice, transpose } from './shape.js';

const A = complex(
  array([
    [1, -2, 0.5],
    [3, 0, -1],
  ]),
  array([
    [0.5, 1, -2],
    [-1, 2, 0.25],
  ]),
);
const B = complex(
  array([
    [2, 1],
    [-1, 0.5],
    [0, 3],
  ]),
  array([
    [1, 0],
    [-2, 1],
    [0.5, -1],
  ]),
);

/** Real-arithmetic reference: (re, im) nested pairs of a complex array. */
const pairs = (z: ReturnType<typeof complex>) => z.toNested() as number[][][];

describe('complex arrays', () => {
  it('store interleaved (re, im) pairs and print as x+yj', () => {
    const z = complex(array([1, -2]), array([2, 0.5]));
    expect(z.dtype).toBe('complex128');
    expect(Array.from(z.dataSync())).toEqual([1, 2, -2, 0.5]);
    expect(viewAsReal(z).shape).toEqual([2, 2]);
    expect(z.toString()).toBe(
      'array([1.0+2.0j, -2.0+0.5j], shape=(2,), dtype=complex128, backend=cpu)',
    );
    expect(viewAsComplex(array([[1, 2]], { dtype: 'float32' })).dtype).toBe('complex64');
  });

  it('create zeros and ones, and cast between precisions and from real', () => {
    expect(ones([2], { dtype: 'complex128' }).toNested()).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(Array.from(zeros([2], { dtype: 'complex64' }).dataSync())).toEqual([0, 0, 0, 0]);
    const c = astype(array([1.5, -2]), 'complex64');
    expect(c.dtype).toBe('complex64');
    expect(c.toNested()).toEqual([
      [1.5, 0],
      [-2, 0],
    ]);
    expect(astype(c, 'complex128').dtype).toBe('complex128');
    expect(() => astype(c, 'float64')).toThrow(DTypeError);
  });

  it('+ − × ÷ agree with the real-arithmetic expansion, with broadcasting and real operands', () => {
    const a = complex(array([1, 2]), array([3, -1]));
    const b = complex(array([-2, 0.5]), array([1, 4]));
    expect(add(a, b).toNested()).toEqual([
      [-1, 4],
      [2.5, 3],
    ]);
    expect(sub(a, b).toNested()).toEqual([
      [3, 2],
      [1.5, -5],
    ]);
    // (1+3i)(−2+i) = −2 − 3 + i(1 − 6) = −5 − 5i; (2−i)(0.5+4i) = 1 + 4 + i(8 − 0.5) = 5 + 7.5i
    expect(mul(a, b).toNested()).toEqual([
      [-5, -5],
      [5, 7.5],
    ]);
    // (1+3i)/(−2+i) = (1+3i)(−2−i)/5 = (−2 + 3 − i − 6i)/5 = 0.2 − 1.4i
    const q = div(a, b).toNested() as number[][];
    expect(q[0]![0]).toBeCloseTo(0.2, 15);
    expect(q[0]![1]).toBeCloseTo(-1.4, 15);
    expect(mul(a, 2).toNested()).toEqual([
      [2, 6],
      [4, -2],
    ]);
    expect(add(a, array([10])).toNested()).toEqual([
      [11, 3],
      [12, -1],
    ]);
    expect(div(a, array([2, 4])).toNested()).toEqual([
      [0.5, 1.5],
      [0.5, -0.25],
    ]);
    expect(sub(1, a).toNested()).toEqual([
      [0, -3],
      [-1, 1],
    ]);
    expect(neg(a).toNested()).toEqual([
      [-1, -3],
      [-2, 1],
    ]);
    expect(mul(a, complex(array([[1], [0]]), array([[0], [1]]))).shape).toEqual([2, 2]);
  });

  it('matmul agrees with (A + iB)(C + iD) = (AC − BD) + i(AD + BC)', () => {
    const P = matmul(A, B);
    const [ar, ai, br, bi] = [real(A), imag(A), real(B), imag(B)];
    const re = sub(matmul(ar, br), matmul(ai, bi)).toNested() as number[][];
    const im = add(matmul(ar, bi), matmul(ai, br)).toNested() as number[][];
    for (const [i, row] of pairs(P).entries()) {
      for (const [j, [r, m]] of row.entries()) {
        expect(r).toBeCloseTo(re[i]![j]!, 14);
        expect(m).toBeCloseTo(im[i]![j]!, 14);
      }
    }
    expect(matmul(A, real(B)).toNested()).toEqual(
      matmul(A, complex(real(B), mul(real(B), 0))).toNested(),
    );
  });

  it('exp follows Euler, abs/angle the polar form, conj flips the imaginary part', () => {
    const z = complex(array([0, 1, -0.5]), array([Math.PI, 0.5, -2]));
    const e = exp(z).toNested() as number[][];
    [
      [0, Math.PI],
      [1, 0.5],
      [-0.5, -2],
    ].forEach(([x, y], k) => {
      expect(e[k]![0]).toBeCloseTo(Math.exp(x!) * Math.cos(y!), 14);
      expect(e[k]![1]).toBeCloseTo(Math.exp(x!) * Math.sin(y!), 14);
    });
    const w = complex(array([3, -1, 0]), array([4, 0, -2]));
    expect(abs(w).toNested()).toEqual([5, 1, 2]);
    expect(angle(w).toNested()).toEqual([Math.atan2(4, 3), Math.PI, -Math.PI / 2]);
    expect(angle(array([-1, 2])).toNested()).toEqual([Math.PI, 0]);
    expect(conj(w).toNested()).toEqual([
      [3, -4],
      [-1, -0],
      [0, 2],
    ]);
    expect(real(array([1])).toNested()).toEqual([1]);
    expect(imag(array([1])).toNested()).toEqual([0]);
  });

  it('sum and mean reduce both parts; reshape, transpose, slice and concat keep pairs together', () => {
    expect(sum(A).toNested()).toEqual([1.5, 0.75]);
    expect(sum(A, { axis: 0 }).toNested()).toEqual([
      [4, -0.5],
      [-2, 3],
      [-0.5, -1.75],
    ]);
    expect(mean(A, { axis: -1, keepdims: true }).shape).toEqual([2, 1]);
    expect(transpose(A).toNested()).toEqual(
      [0, 1, 2].map((j) => [0, 1].map((i) => pairs(A)[i]![j])),
    );
    expect(reshape(A, [3, 2]).toNested()).toEqual([
      pairs(A)[0]!.slice(0, 2),
      [pairs(A)[0]![2], pairs(A)[1]![0]],
      pairs(A)[1]!.slice(1),
    ]);
    expect(slice(A, 1, '::-2').toNested()).toEqual([pairs(A)[1]![2], pairs(A)[1]![0]]);
    expect(concat([A, real(A)], { axis: 0 }).shape).toEqual([4, 3]);
  });

  it('refuse other ops and one-number reads with typed errors naming the fix', () => {
    expect(() => sin(A)).toThrow(DTypeError);
    expect(() => sin(A)).toThrow(/real\(z\)/);
    expect(() => sum(A).item()).toThrow(ValueError);
    expect(() => A.get(0, 0)).toThrow(ValueError);
    expect(() => viewAsComplex(array([1, 2, 3]))).toThrow(ShapeError);
    expect(() => viewAsReal(array([1, 2]))).toThrow(DTypeError);
    expect(() => complex(A, A)).toThrow(DTypeError);
  });
});
