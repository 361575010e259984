/**
 * The complex rules' convention (JAX's) and the FFT's derivative checked against closed forms: Parseval makes
 * ‖fft(x)‖² = n‖x‖², whose gradient is 2n·x; the pullback of (x, y) ↦ x + iy sends z̄ to (Re z̄, −Im z̄).
 */
import {
  type NDArray,
  abs,
  array,
  complex,
  fft,
  irfft,
  mul,
  rfft,
  sum,
  viewAsComplex,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { grad, vjp } from '../transforms/reverse.js';
import { jvp } from '../transforms/forward.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
};

describe('complex and FFT derivatives', () => {
  it('grad of ‖fft(x)‖² is 2n·x (Parseval), for a Stockham and a Bluestein length', () => {
    for (const n of [12, 23]) {
      const x = array(Array.from({ length: n }, (_, i) => Math.sin(i + 0.3)));
      const g = grad((v: NDArray) => sum(mul(abs(fft(v)), abs(fft(v)))))(x);
      close(
        g.dataSync(),
        Array.from(x.dataSync(), (v) => 2 * n * v),
        1e-11 * n,
      );
    }
  });

  it('follows JAX: the pullback of viewAsComplex maps z̄ = a + ib to (a, −b)', () => {
    const [, pullback] = vjp((x: NDArray) => viewAsComplex(x), array([[1, 2]]));
    const [ct] = pullback(complex(array([3]), array([4])));
    expect((ct as NDArray).toNested()).toEqual([[3, -4]]);
  });

  it('jvp of irfft∘rfft is the identity on the tangent', () => {
    const x = array([0.5, -1, 2, 0.25, 3]);
    const t = array([1, 2, 3, 4, 5]);
    const [, dy] = jvp((v: NDArray) => irfft(rfft(v), { n: 5 }), [x], [t]);
    close((dy as NDArray).dataSync(), t.dataSync(), 1e-14);
  });
});
