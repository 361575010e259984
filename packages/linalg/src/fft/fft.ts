/**
 * The discrete Fourier transform, NumPy's `numpy.fft` interface: `fft`/`ifft` of any length along any axis
 * (batched over the others), `rfft`/`irfft` for real signals, and their 2-D and n-D forms.
 *
 * Definition (NumPy's): X_k = Σ_{j<n} x_j e^{−2πi jk/n}, x_j = (1/n) Σ_k X_k e^{2πi jk/n} with
 * `norm: 'backward'` (default); `'ortho'` puts 1/√n on both, `'forward'` puts 1/n on the forward transform.
 *
 * Each transform is built on the `fft` primitive, which is linear, so its JVP is the same transform of the
 * tangent and its VJP the transpose: the DFT matrix is symmetric, so the transpose of `fft` is `fft` with the
 * same scale (JAX's convention, under which cotangents of complex values are ∂L/∂x − i ∂L/∂y).
 */
import { type DType, complexDType, isComplex, isFloat } from '../core/dtype.js';
import { bind } from '../core/dispatch.js';
import { DTypeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { normalizeAxis } from '../core/shape.js';
import { assertNDArray } from '../core/validate.js';
import {
  castComplex,
  conj,
  moveAxisLast,
  moveLastAxisTo,
  real,
  viewAsComplex,
  viewAsReal,
} from '../ops/complex.js';
import { fftAlongDirect, irfftLastDirect, rfftLastDirect } from './direct.js';
import { type FftOut, checkOut, copyIntoOut } from './out.js';

/**
 * Where the 1/n of a transform pair goes (NumPy's `norm`): `'backward'` (default) on the inverse, `'forward'`
 * on the forward transform, `'ortho'` 1/√n on each (unitary transforms).
 */
export type FftNorm = 'backward' | 'ortho' | 'forward';

/** Options of the one-axis transforms. */
export interface FftOptions {
  /** Length of the transform: the input is cropped or zero-padded along the axis to `n` (default: its length). */
  n?: number;
  /** Axis to transform (default −1, the last). */
  axis?: number;
  /** Normalisation (default `'backward'`). */
  norm?: FftNorm;
  /**
   * Storage for the result (NumPy's `out`): a `Float64Array` for complex128/float64 results, a `Float32Array`
   * for complex64/float32 ones (complex values interleaved re, im), of exactly the result's length. The result
   * is written there and the returned array wraps it, so a loop of transforms allocates nothing. It may alias
   * the input (an in-place transform): the input is then read before anything is written. Needs a concrete
   * array (not one traced by `grad`/`jit`) on a backend that reads synchronously.
   */
  out?: FftOut;
}

/** Options of the multi-axis transforms. */
export interface FftNOptions {
  /** Lengths of the transform along each of `axes` (default: the input's lengths). */
  s?: readonly number[];
  /** Axes to transform (default: the last `s.length` axes, or all axes; the last two for fft2). */
  axes?: readonly number[];
  /** Normalisation (default `'backward'`). */
  norm?: FftNorm;
  /** Storage for the result, as {@link FftOptions.out}. */
  out?: FftOut;
}

/** The scale of a transform of length n in direction `inverse` under `norm`. */
function scaleFor(op: string, n: number, inverse: boolean, norm: FftNorm | undefined): number {
  const mode = norm ?? 'backward';
  if (mode === 'ortho') return 1 / Math.sqrt(n);
  if (mode === 'backward') return inverse ? 1 / n : 1;
  if (mode === 'forward') return inverse ? 1 : 1 / n;
  throw new ValueError(op, `norm must be 'backward', 'ortho' or 'forward', got '${String(norm)}'`);
}

/** `x` as a complex array of matching precision (float32 → complex64, anything else → complex128). */
function asComplex(op: string, x: NDArray): NDArray {
  assertNDArray(op, x, 'x');
  if (isComplex(x.dtype)) return x;
  if (x.dtype === 'float32') return castComplex(x, 'complex64');
  return castComplex(x, complexDType('float64'));
}

function checkLength(op: string, n: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(op, `the transform length n must be a positive integer, got ${n}`);
  return n;
}

/** Crops or zero-pads the last axis of a complex array to length n. */
function resizeLast(z: NDArray, n: number): NDArray {
  const len = z.shape[z.ndim - 1]!;
  if (len === n) return z;
  const v = viewAsReal(z);
  const lead = z.shape.slice(0, -1);
  if (len > n) {
    const cropped = bind('slice', [v], {
      starts: v.shape.map(() => 0),
      steps: v.shape.map(() => 1),
      lengths: [...lead, n, 2],
    })[0]!;
    return viewAsComplex(cropped);
  }
  const padded = bind('pad', [v], {
    before: v.shape.map(() => 0),
    after: [...lead.map(() => 0), n - len, 0],
  })[0]!;
  return viewAsComplex(padded);
}

/** One complex transform of the last axis (length n after crop/pad), times `scale`. */
function lastAxis(z: NDArray, n: number, inverse: boolean, scale: number): NDArray {
  const sized = resizeLast(z, n);
  return bind('fft', [sized], { inverse, scale })[0]!;
}

/** `shape` with axis `axis` of length `n`. */
function withAxis(shape: readonly number[], axis: number, n: number): number[] {
  const s = [...shape];
  s[axis] = n;
  return s;
}

/** The validated `out` for a result of `shape` and `dtype`, or undefined when none was given. */
function outFor(
  op: string,
  out: FftOut | undefined,
  shape: readonly number[],
  dtype: DType,
): FftOut | undefined {
  return out === undefined ? undefined : checkOut(op, out, shape, dtype);
}

/** A complex transform of `x` along `axis`. */
function along(op: string, x: NDArray, o: FftOptions, inverse: boolean): NDArray {
  const z = asComplex(op, x);
  if (z.ndim === 0)
    throw new ValueError(op, 'needs an array with at least one axis, got a 0-d array');
  const axis = normalizeAxis(op, o.axis ?? -1, z.ndim);
  const n = checkLength(op, o.n ?? z.shape[axis]!);
  const scale = scaleFor(op, n, inverse, o.norm);
  const out = outFor(op, o.out, withAxis(z.shape, axis, n), z.dtype);
  if (n === z.shape[axis]) {
    const fast = fftAlongDirect(z, axis, inverse, scale, out);
    if (fast) return fast;
  }
  const moved = moveAxisLast(z, axis);
  return copyIntoOut(moveLastAxisTo(lastAxis(moved, n, inverse, scale), axis), out);
}

/**
 * Discrete Fourier transform along one axis: X_k = Σ_j x_j e^{−2πi jk/n} (`numpy.fft.fft`). Real input is
 * promoted to complex (float32 → complex64, else complex128). Any n: mixed radix 2/3/4/5 (and direct
 * butterflies for primes ≤ 13), Bluestein's chirp-z for other primes.
 * @example `fft(array([1, 0, 0, 0]))` is [1, 1, 1, 1] (complex128)
 */
export function fft(x: NDArray, options: FftOptions = {}): NDArray {
  return along('fft', x, options, false);
}

/** Inverse DFT along one axis: x_j = (1/n) Σ_k X_k e^{2πi jk/n} (`numpy.fft.ifft`). */
export function ifft(x: NDArray, options: FftOptions = {}): NDArray {
  return along('ifft', x, options, true);
}

/** Axes and lengths of a multi-axis transform, NumPy's rules. */
function axesAndLengths(
  op: string,
  x: NDArray,
  o: FftNOptions,
  two: boolean,
): [number[], number[]] {
  let axes: number[];
  if (o.axes !== undefined) axes = o.axes.map((a) => normalizeAxis(op, a, x.ndim));
  else if (two) axes = [x.ndim - 2, x.ndim - 1].map((a) => normalizeAxis(op, a, x.ndim));
  else if (o.s !== undefined) axes = o.s.map((_, i) => x.ndim - o.s!.length + i);
  else axes = [...x.shape.keys()];
  if (new Set(axes).size !== axes.length)
    throw new ValueError(op, `repeated axis in ${JSON.stringify(o.axes)}`);
  if (o.s !== undefined && o.s.length !== axes.length)
    throw new ValueError(op, `s has ${o.s.length} lengths for ${axes.length} axes`);
  const lengths = axes.map((a, i) => checkLength(op, o.s?.[i] ?? x.shape[a]!));
  return [axes, lengths];
}

function alongAxes(
  op: string,
  x: NDArray,
  o: FftNOptions,
  inverse: boolean,
  two: boolean,
): NDArray {
  const z0 = asComplex(op, x);
  const [axes, lengths] = axesAndLengths(op, z0, o, two);
  const shape = [...z0.shape];
  axes.forEach((a, i) => {
    shape[a] = lengths[i]!;
  });
  const out = outFor(op, o.out, shape, z0.dtype);
  if (axes.length === 0) return copyIntoOut(z0, out);
  let z = z0;
  // NumPy transforms the last axis given first; the transforms commute, the order only sets rounding. The
  // last transform done (axes[0]) writes into `out`.
  for (let i = axes.length - 1; i >= 0; i--) {
    const last = i === 0 ? out : undefined;
    z = along(op, z, { axis: axes[i]!, n: lengths[i]!, norm: o.norm, out: last }, inverse);
  }
  return z;
}

/** n-dimensional DFT over `axes` (all by default), `numpy.fft.fftn`. */
export function fftn(x: NDArray, options: FftNOptions = {}): NDArray {
  return alongAxes('fftn', x, options, false, false);
}

/** n-dimensional inverse DFT, `numpy.fft.ifftn`. */
export function ifftn(x: NDArray, options: FftNOptions = {}): NDArray {
  return alongAxes('ifftn', x, options, true, false);
}

/** 2-D DFT over the last two axes (or `axes`), `numpy.fft.fft2`. */
export function fft2(x: NDArray, options: FftNOptions = {}): NDArray {
  return alongAxes('fft2', x, options, false, true);
}

/** 2-D inverse DFT over the last two axes (or `axes`), `numpy.fft.ifft2`. */
export function ifft2(x: NDArray, options: FftNOptions = {}): NDArray {
  return alongAxes('ifft2', x, options, true, true);
}

function assertReal(op: string, x: NDArray): void {
  assertNDArray(op, x, 'x');
  if (!isFloat(x.dtype) && x.dtype !== 'int32' && x.dtype !== 'bool') {
    throw new DTypeError(
      op,
      `takes a real array, got ${x.dtype}; use fft for complex input (or ${op}(real(z)))`,
    );
  }
}

/**
 * DFT of a real signal, keeping the n//2 + 1 non-negative frequencies (the rest are their conjugates),
 * `numpy.fft.rfft`.
 */
export function rfft(x: NDArray, options: FftOptions = {}): NDArray {
  assertReal('rfft', x);
  if (x.ndim === 0)
    throw new ValueError('rfft', 'needs an array with at least one axis, got a 0-d array');
  const axis = normalizeAxis('rfft', options.axis ?? -1, x.ndim);
  const n = checkLength('rfft', options.n ?? x.shape[axis]!);
  const scale = scaleFor('rfft', n, false, options.norm);
  const dtype = x.dtype === 'float32' ? 'complex64' : 'complex128';
  const out = outFor('rfft', options.out, withAxis(x.shape, axis, Math.floor(n / 2) + 1), dtype);
  if (n === x.shape[axis]) {
    const last = axis === x.ndim - 1;
    // the kernel writes `out` only for the last axis; another axis is transposed around it
    const fast = rfftLastDirect(moveAxisLast(x, axis), scale, last ? out : undefined);
    if (fast) return last ? fast : copyIntoOut(moveLastAxisTo(fast, axis), out);
  }
  const full = moveAxisLast(along('rfft', x, { axis, n, norm: options.norm }, false), axis);
  return copyIntoOut(moveLastAxisTo(resizeLast(full, Math.floor(n / 2) + 1), axis), out);
}

/**
 * Inverse of `rfft`: the real signal of length n (default 2(m − 1) for m input frequencies) whose spectrum has
 * the given non-negative half (`numpy.fft.irfft`). The imaginary parts of the zero and (n even) Nyquist
 * frequencies are ignored, as in NumPy.
 */
export function irfft(x: NDArray, options: FftOptions = {}): NDArray {
  const z = asComplex('irfft', x);
  if (z.ndim === 0)
    throw new ValueError('irfft', 'needs an array with at least one axis, got a 0-d array');
  const axis = normalizeAxis('irfft', options.axis ?? -1, z.ndim);
  const m = z.shape[axis]!;
  const n = checkLength('irfft', options.n ?? 2 * (m - 1));
  const scale = scaleFor('irfft', n, true, options.norm);
  const dtype = z.dtype === 'complex64' ? 'float32' : 'float64';
  const out = outFor('irfft', options.out, withAxis(z.shape, axis, n), dtype);
  if (m === Math.floor(n / 2) + 1) {
    const last = axis === z.ndim - 1;
    const fast = irfftLastDirect(moveAxisLast(z, axis), n, scale, last ? out : undefined);
    if (fast) return last ? fast : copyIntoOut(moveLastAxisTo(fast, axis), out);
  }
  const half = resizeLast(moveAxisLast(z, axis), Math.floor(n / 2) + 1);
  // Y_k = conj(X_{n−k}) for k > n//2: the reversed X_1 … X_{n − n//2 − 1}
  const tail = n - Math.floor(n / 2) - 1;
  let spectrum = half;
  if (tail > 0) {
    const v = viewAsReal(half);
    const lead = half.shape.slice(0, -1);
    const mirrored = bind('slice', [v], {
      starts: [...lead.map(() => 0), tail, 0],
      steps: [...lead.map(() => 1), -1, 1],
      lengths: [...lead, tail, 2],
    })[0]!;
    const conjugated = viewAsReal(conj(viewAsComplex(mirrored)));
    spectrum = viewAsComplex(bind('concat', [v, conjugated], { axis: v.ndim - 2 })[0]!);
  }
  const y = lastAxis(spectrum, n, true, scale);
  return copyIntoOut(moveLastAxisTo(real(y), axis), out);
}

/** n-dimensional DFT of a real array: rfft along the last of `axes`, then fft along the others (`numpy.fft.rfftn`). */
export function rfftn(x: NDArray, options: FftNOptions = {}): NDArray {
  assertReal('rfftn', x);
  const [axes, lengths] = axesAndLengths('rfftn', x, options, false);
  const last = axes.length - 1;
  const shape = [...x.shape];
  axes.forEach((a, i) => {
    shape[a] = i === last ? Math.floor(lengths[i]! / 2) + 1 : lengths[i]!;
  });
  const out = outFor(
    'rfftn',
    options.out,
    shape,
    x.dtype === 'float32' ? 'complex64' : 'complex128',
  );
  const norm = options.norm;
  let z = rfft(x, {
    axis: axes[last]!,
    n: lengths[last]!,
    norm,
    out: last === 0 ? out : undefined,
  });
  for (let i = last - 1; i >= 0; i--) {
    const o = i === 0 ? out : undefined;
    z = along('rfftn', z, { axis: axes[i]!, n: lengths[i]!, norm, out: o }, false);
  }
  return z;
}

/** Inverse of `rfftn` (`numpy.fft.irfftn`); `s` gives the output lengths (the last defaults to 2(m − 1)). */
export function irfftn(x: NDArray, options: FftNOptions = {}): NDArray {
  const z0 = asComplex('irfftn', x);
  const axes =
    options.axes?.map((a) => normalizeAxis('irfftn', a, z0.ndim)) ??
    (options.s ? options.s.map((_, i) => z0.ndim - options.s!.length + i) : [...z0.shape.keys()]);
  const last = axes.length - 1;
  const shape = [...z0.shape];
  axes.forEach((a, i) => {
    const given = options.s?.[i];
    shape[a] = given ?? (i === last ? 2 * (z0.shape[a]! - 1) : z0.shape[a]!);
  });
  const dtype = z0.dtype === 'complex64' ? 'float32' : 'float64';
  const out = outFor('irfftn', options.out, shape, dtype);
  let z = z0;
  for (let i = 0; i < last; i++) {
    z = along('irfftn', z, { axis: axes[i]!, n: options.s?.[i], norm: options.norm }, true);
  }
  return irfft(z, { axis: axes[last]!, n: options.s?.[last], norm: options.norm, out });
}

/** 2-D DFT of a real array over the last two axes (`numpy.fft.rfft2`). */
export function rfft2(x: NDArray, options: FftNOptions = {}): NDArray {
  return rfftn(x, { ...options, axes: options.axes ?? [-2, -1] });
}

/** Inverse of `rfft2` (`numpy.fft.irfft2`). */
export function irfft2(x: NDArray, options: FftNOptions = {}): NDArray {
  return irfftn(x, { ...options, axes: options.axes ?? [-2, -1] });
}
