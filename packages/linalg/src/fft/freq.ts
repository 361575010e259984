/**
 * Frequency grids and spectrum reordering of `numpy.fft`: `fftfreq`, `rfftfreq`, `fftshift`, `ifftshift`.
 */
import { isComplex } from '../core/dtype.js';
import { bind } from '../core/dispatch.js';
import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { normalizeAxes } from '../core/shape.js';
import { assertNDArray } from '../core/validate.js';
import { type CreationOptions, fromTypedArray } from '../ops/creation.js';
import { viaRealView } from '../ops/complex.js';

/** Options of the frequency grids: the sample spacing `d` (default 1) and the float dtype/backend. */
export interface FftFreqOptions extends CreationOptions<'float64' | 'float32'> {
  /** Sample spacing (the inverse of the sampling rate); default 1. */
  d?: number;
}

function grid(
  op: string,
  n: number,
  o: FftFreqOptions,
  values: (k: number) => number,
  count: number,
): NDArray {
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(op, `n must be a positive integer, got ${n}`);
  const d = o.d ?? 1;
  if (!Number.isFinite(d) || d === 0)
    throw new ValueError(op, `the sample spacing d must be finite and non-zero, got ${d}`);
  const data = o.dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  for (let k = 0; k < count; k++) data[k] = values(k) / (d * n);
  return fromTypedArray(data, [count], { backend: o.backend });
}

/**
 * Sample frequencies of an n-point DFT, in cycles per unit of `d`: [0, 1, …, ⌈n/2⌉ − 1, −⌊n/2⌋, …, −1] / (d·n)
 * (`numpy.fft.fftfreq`).
 */
export function fftfreq(n: number, options: FftFreqOptions = {}): NDArray {
  const half = Math.ceil(n / 2);
  return grid('fftfreq', n, options, (k) => (k < half ? k : k - n), n);
}

/** The non-negative frequencies of `rfft`: [0, 1, …, ⌊n/2⌋] / (d·n) (`numpy.fft.rfftfreq`). */
export function rfftfreq(n: number, options: FftFreqOptions = {}): NDArray {
  return grid('rfftfreq', n, options, (k) => k, Math.floor(n / 2) + 1);
}

/** Rolls a real array by `shift` along `axis` (element i moves to i + shift mod n). */
function roll(x: NDArray, shift: number, axis: number): NDArray {
  const n = x.shape[axis]!;
  const s = ((shift % n) + n) % n;
  if (s === 0) return x;
  const take = (start: number, length: number): NDArray =>
    bind('slice', [x], {
      starts: x.shape.map((_, i) => (i === axis ? start : 0)),
      steps: x.shape.map(() => 1),
      lengths: x.shape.map((d, i) => (i === axis ? length : d)),
    })[0]!;
  return bind('concat', [take(n - s, s), take(0, n - s)], { axis })[0]!;
}

function shifted(
  op: string,
  x: NDArray,
  axes: number | readonly number[] | undefined,
  sign: 1 | -1,
): NDArray {
  assertNDArray(op, x, 'x');
  const list = normalizeAxes(op, axes, x.ndim);
  const apply = (v: NDArray): NDArray =>
    list.reduce((acc, a) => roll(acc, sign * Math.floor(x.shape[a]! / 2), a), v);
  return isComplex(x.dtype) ? viaRealView(x, apply) : apply(x);
}

/** Moves the zero frequency to the centre: rolls each of `axes` (all by default) by ⌊n/2⌋ (`numpy.fft.fftshift`). */
export function fftshift(x: NDArray, options: { axes?: number | readonly number[] } = {}): NDArray {
  return shifted('fftshift', x, options.axes, 1);
}

/** The inverse of `fftshift`: rolls each axis by −⌊n/2⌋ (`numpy.fft.ifftshift`). */
export function ifftshift(
  x: NDArray,
  options: { axes?: number | readonly number[] } = {},
): NDArray {
  return shifted('ifftshift', x, options.axes, -1);
}
