/**
 * The transforms of concrete CPU arrays straight to the kernels (src/fft/execute.ts, src/kernels/fft.ts),
 * skipping the dispatcher, transposes and (with `out`) the result allocation: the hot path of a loop of small
 * transforms. Each returns null where it does not apply — another backend, a length the kernel does not take,
 * no WebAssembly — or while ops are observed (a trace must see the `fft` primitive, whose rules give the
 * gradients); the caller then takes the composite path, the same linear map.
 */
import { type FloatArray, allocTyped, complexDType } from '../core/dtype.js';
import { hasObservers } from '../core/observers.js';
import { NDArray } from '../core/ndarray.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { fftAxisWasm, irfftPow2Wasm, rfftPow2Wasm } from '../kernels/fft.js';
import { fftRows } from './execute.js';
import { type FftOut, readableBeside, wrapOut } from './out.js';

/** True when `x` is a concrete CPU array and no observer must see the ops. */
function direct(x: NDArray): boolean {
  return x.backend === cpuBackend && x.size > 0 && !hasObservers();
}

/**
 * `shape` with its last length replaced by `last`. A loop rather than `[...shape.slice(0, -1), last]`: an
 * NDArray's shape is frozen, and V8's `slice` of a frozen array takes a slow path (~0.2 µs, measured), a
 * tenth of a whole 64-point rfft call.
 */
function withLast(shape: readonly number[], last: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length - 1; i++) out.push(shape[i]!);
  out.push(last);
  return out;
}

/** The result array: over `out` when given, else over the freshly written storage. */
function result(
  data: FloatArray,
  out: FftOut | undefined,
  shape: readonly number[],
  dtype: NDArray['dtype'],
): NDArray {
  return out === undefined
    ? new NDArray(data, shape, dtype, cpuBackend)
    : wrapOut(out, shape, dtype);
}

/**
 * The complex transform of `z` (complex, CPU) along `axis` at its own length: the last axis as a batch of rows
 * (any length), another axis by the wasm gather/scatter kernel (powers of two).
 */
export function fftAlongDirect(
  z: NDArray,
  axis: number,
  inverse: boolean,
  scale: number,
  out: FftOut | undefined,
): NDArray | null {
  if (!direct(z)) return null;
  const n = z.shape[axis]!;
  let outer = 1;
  for (let a = 0; a < axis; a++) outer *= z.shape[a]!;
  const inner = z.size / (outer * n);
  const input = readableBeside(z.handle as FloatArray, out);
  const dst = out ?? (allocTyped(z.dtype, z.size) as FloatArray);
  if (inner === 1) fftRows(input, dst, outer, n, inverse, scale);
  else if (!fftAxisWasm(input, dst, outer, n, inner, inverse, scale)) return null;
  return result(dst, out, z.shape, z.dtype);
}

/**
 * rfft of the last axis of a float64/float32 CPU array (n/2 a power of two): one complex FFT of half the length
 * plus a post-pass, all rows in one kernel call.
 */
export function rfftLastDirect(x: NDArray, scale: number, out: FftOut | undefined): NDArray | null {
  if (!direct(x) || (x.dtype !== 'float64' && x.dtype !== 'float32')) return null;
  const n = x.shape[x.ndim - 1]!;
  if (n < 4) return null;
  const dtype = complexDType(x.dtype);
  const m = Math.floor(n / 2) + 1;
  const rows = x.size / n;
  const input = readableBeside(x.handle as FloatArray, out);
  const dst = out ?? (allocTyped(dtype, rows * m) as FloatArray);
  if (!rfftPow2Wasm(input, dst, rows, n, scale)) return null;
  return result(dst, out, withLast(x.shape, m), dtype);
}

/**
 * irfft of the last axis (n/2 + 1 frequencies, n/2 a power of two) of a complex CPU array: a pre-pass and one
 * complex FFT of half the length.
 */
export function irfftLastDirect(
  z: NDArray,
  n: number,
  scale: number,
  out: FftOut | undefined,
): NDArray | null {
  if (!direct(z) || n < 4) return null;
  const dtype = z.dtype === 'complex64' ? 'float32' : 'float64';
  const rows = z.size / z.shape[z.ndim - 1]!;
  const input = readableBeside(z.handle as FloatArray, out);
  const dst = out ?? (allocTyped(dtype, rows * n) as FloatArray);
  if (!irfftPow2Wasm(input, dst, rows, n, scale)) return null;
  return result(dst, out, withLast(z.shape, n), dtype);
}
