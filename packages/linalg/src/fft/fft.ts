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
import { type FloatArray, allocTyped, complexDType, isComplex, isFloat } from '../core/dtype.js';
import { bind } from '../core/dispatch.js';
import { hasObservers } from '../core/observers.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { fftAxisWasm, irfftPow2Wasm, rfftPow2Wasm } from '../kernels/fft.js';
import { DTypeError, ValueError } from '../core/errors.js';
import { NDArray } from '../core/ndarray.js';
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
}

/** Options of the multi-axis transforms. */
export interface FftNOptions {
  /** Lengths of the transform along each of `axes` (default: the input's lengths). */
  s?: readonly number[];
  /** Axes to transform (default: the last `s.length` axes, or all axes; the last two for fft2). */
  axes?: readonly number[];
  /** Normalisation (default `'backward'`). */
  norm?: FftNorm;
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

/** One complex transform of the last axis (length n after crop/pad). */
function lastAxis(op: string, z: NDArray, n: number, inverse: boolean, norm?: FftNorm): NDArray {
  const sized = resizeLast(z, n);
  return bind('fft', [sized], { inverse, scale: scaleFor(op, n, inverse, norm) })[0]!;
}

/** A complex transform of `x` along `axis`. */
function along(op: string, x: NDArray, o: FftOptions, inverse: boolean): NDArray {
  const z = asComplex(op, x);
  if (z.ndim === 0)
    throw new ValueError(op, 'needs an array with at least one axis, got a 0-d array');
  const axis = normalizeAxis(op, o.axis ?? -1, z.ndim);
  const n = checkLength(op, o.n ?? z.shape[axis]!);
  if (axis !== z.ndim - 1 && n === z.shape[axis]) {
    const fast = alongDirect(z, axis, inverse, scaleFor(op, n, inverse, o.norm));
    if (fast) return fast;
  }
  const moved = moveAxisLast(z, axis);
  return moveLastAxisTo(lastAxis(op, moved, n, inverse, o.norm), axis);
}

/**
 * A complex transform along a non-last axis of a CPU array, straight to the wasm kernel (columns gathered into
 * rows in the kernels' memory), instead of transposing the array there and back; null where that path does not
 * apply (another backend, a length that is not a power of two, no WebAssembly) or while ops are observed (a
 * trace must see the `fft` primitive, whose rules give the gradients).
 */
function alongDirect(z: NDArray, axis: number, inverse: boolean, scale: number): NDArray | null {
  if (z.backend !== cpuBackend || hasObservers() || z.size === 0) return null;
  const n = z.shape[axis]!;
  const outer = z.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = z.size / (outer * n);
  const out = allocTyped(z.dtype, z.size);
  const data = z.dataSync() as FloatArray;
  if (!fftAxisWasm(data, out as FloatArray, outer, n, inner, inverse, scale)) return null;
  return new NDArray(out, z.shape, z.dtype, cpuBackend);
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
  let z = z0;
  // NumPy transforms the last axis given first; the transforms commute, the order only sets rounding
  for (let i = axes.length - 1; i >= 0; i--) {
    z = along(op, z, { axis: axes[i]!, n: lengths[i]!, norm: o.norm }, inverse);
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
  if (n === x.shape[axis]) {
    const fast = rfftDirect(moveAxisLast(x, axis), scaleFor('rfft', n, false, options.norm));
    if (fast) return moveLastAxisTo(fast, axis);
  }
  const full = moveAxisLast(along('rfft', x, { ...options, axis, n }, false), axis);
  return moveLastAxisTo(resizeLast(full, Math.floor(n / 2) + 1), axis);
}

/**
 * rfft of the last axis of a float array on the CPU backend, straight to the wasm kernel (one complex FFT of
 * half the length plus a post-pass, all rows in one call); null where that path does not apply (another
 * backend or dtype, a length whose half is not a power of two, no WebAssembly) or while ops are observed (a
 * jit trace must see the primitives). The composite path below is the same linear map, so gradients and
 * traces of rfft are unaffected.
 */
function rfftDirect(x: NDArray, scale: number): NDArray | null {
  if (x.backend !== cpuBackend || hasObservers()) return null;
  if (x.dtype !== 'float64' && x.dtype !== 'float32') return null;
  const n = x.shape[x.ndim - 1]!;
  if (n < 4 || x.size === 0) return null;
  const dtype = complexDType(x.dtype);
  const m = Math.floor(n / 2) + 1;
  const rows = x.size / n;
  const out = allocTyped(dtype, rows * m);
  if (!rfftPow2Wasm(x.dataSync() as FloatArray, out, rows, n, scale)) return null;
  return new NDArray(out, [...x.shape.slice(0, -1), m], dtype, cpuBackend);
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
  if (m === Math.floor(n / 2) + 1) {
    const fast = irfftDirect(moveAxisLast(z, axis), n, scaleFor('irfft', n, true, options.norm));
    if (fast) return moveLastAxisTo(fast, axis);
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
  const y = lastAxis('irfft', spectrum, n, true, options.norm);
  return moveLastAxisTo(real(y), axis);
}

/**
 * irfft of the last axis (m = n/2 + 1 frequencies, n/2 a power of two) of a complex CPU array, straight to the
 * wasm kernel (a pre-pass and one complex FFT of half the length); null where that path does not apply or
 * while ops are observed, as for rfft.
 */
function irfftDirect(z: NDArray, n: number, scale: number): NDArray | null {
  if (z.backend !== cpuBackend || hasObservers() || n < 4 || z.size === 0) return null;
  const dtype = z.dtype === 'complex64' ? 'float32' : 'float64';
  const rows = z.size / z.shape[z.ndim - 1]!;
  const out = allocTyped(dtype, rows * n);
  if (!irfftPow2Wasm(z.dataSync() as FloatArray, out, rows, n, scale)) return null;
  return new NDArray(out, [...z.shape.slice(0, -1), n], dtype, cpuBackend);
}

/** n-dimensional DFT of a real array: rfft along the last of `axes`, then fft along the others (`numpy.fft.rfftn`). */
export function rfftn(x: NDArray, options: FftNOptions = {}): NDArray {
  assertReal('rfftn', x);
  const [axes, lengths] = axesAndLengths('rfftn', x, options, false);
  const last = axes.length - 1;
  let z = rfft(x, { axis: axes[last]!, n: lengths[last]!, norm: options.norm });
  for (let i = last - 1; i >= 0; i--) {
    z = along('rfftn', z, { axis: axes[i]!, n: lengths[i]!, norm: options.norm }, false);
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
  let z = z0;
  for (let i = 0; i < last; i++) {
    z = along('irfftn', z, { axis: axes[i]!, n: options.s?.[i], norm: options.norm }, true);
  }
  return irfft(z, { axis: axes[last]!, n: options.s?.[last], norm: options.norm });
}

/** 2-D DFT of a real array over the last two axes (`numpy.fft.rfft2`). */
export function rfft2(x: NDArray, options: FftNOptions = {}): NDArray {
  return rfftn(x, { ...options, axes: options.axes ?? [-2, -1] });
}

/** Inverse of `rfft2` (`numpy.fft.irfft2`). */
export function irfft2(x: NDArray, options: FftNOptions = {}): NDArray {
  return irfftn(x, { ...options, axes: options.axes ?? [-2, -1] });
}
