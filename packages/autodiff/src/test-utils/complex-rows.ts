/**
 * Rows of the complex primitives (`viewAsReal`, `viewAsComplex`, `fft`) and of the complex ops composed from
 * them: real → real test functions whose middle is complex, so checkGrads, jit and vmap all see the complex
 * rules. Weighted sums make every output component count with a different weight.
 */
import {
  type NDArray,
  abs,
  add,
  bind,
  complex,
  conj,
  exp,
  fft,
  fft2,
  imag,
  irfft,
  matmul,
  mul,
  real,
  rfft,
  sum,
  viewAsComplex,
  viewAsReal,
} from '@sciml/linalg';
import type { Row } from './primitive-rows.js';
import { uniform } from './random.js';

const u = uniform;
/** A real scalar that depends on every real and imaginary part of z with distinct weights. */
const readout = (z: NDArray, w: NDArray): NDArray => sum(mul(viewAsReal(z), w));

export const COMPLEX_ROWS: Row[] = [
  {
    primitive: 'viewAsComplex',
    what: '(3, 2) → complex (3,), |z|² weighted',
    fn: (x) => sum(mul(viewAsReal(mul(viewAsComplex(x), viewAsComplex(x))), x)),
    args: () => [u([3, 2], -1.5, 1.5, 31)],
  },
  {
    primitive: 'viewAsReal',
    what: 'conj and exp of a complex (2, 3)',
    fn: (a, b) => sum(mul(viewAsReal(exp(conj(complex(a, b)))), viewAsReal(complex(b, a)))),
    args: () => [u([2, 3], -1, 1, 32), u([2, 3], -1, 1, 33)],
  },
  {
    primitive: 'fft',
    what: 'forward, length 6 along the last axis of (2, 6)',
    fn: (a, b, w) => readout(bind('fft', [complex(a, b)], { inverse: false, scale: 1 })[0]!, w),
    args: () => [u([2, 6], -1, 1, 34), u([2, 6], -1, 1, 35), u([2, 6, 2], -1, 1, 36)],
  },
  {
    primitive: 'fft',
    what: 'inverse, length 7 (Bluestein-free prime radix), scale 1/7',
    fn: (a, b, w) => readout(bind('fft', [complex(a, b)], { inverse: true, scale: 1 / 7 })[0]!, w),
    args: () => [u([7], -1, 1, 37), u([7], -1, 1, 38), u([7, 2], -1, 1, 39)],
  },
  {
    primitive: 'fft',
    what: 'rfft/irfft round trip with a nonlinearity, fft2 and abs',
    fn: (x) => {
      const spectrum = rfft(mul(x, x), { axis: 0 });
      const back = irfft(mul(spectrum, spectrum), { n: 5, axis: 0 });
      return add(sum(mul(back, x)), sum(abs(fft2(x))));
    },
    args: () => [u([5, 3], 0.5, 1.5, 40)],
  },
  {
    primitive: 'fft',
    what: 'complex matmul, real and imag parts',
    fn: (a, b) => {
      const z = complex(a, b);
      const p = matmul(z, conj(z), { transB: true });
      return sum(mul(real(p), imag(p)));
    },
    args: () => [u([2, 3], -1, 1, 41), u([2, 3], -1, 1, 42)],
  },
  {
    primitive: 'fft',
    what: 'irfft of a spectrum built from real parts (length 8, norm ortho)',
    fn: (a, b) =>
      sum(mul(irfft(complex(a, b), { n: 8, norm: 'ortho' }), irfft(complex(b, a), { n: 8 }))),
    args: () => [u([5], -1, 1, 43), u([5], -1, 1, 44)],
  },
  {
    primitive: 'fft',
    what: 'fft along axis 0 of (4, 2), norm forward',
    fn: (x, w) => readout(fft(x, { axis: 0, norm: 'forward' }), w),
    args: () => [u([4, 2], -1, 1, 45), u([4, 2, 2], -1, 1, 46)],
  },
];
