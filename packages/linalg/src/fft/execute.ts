/**
 * The CPU reference of the `fft` primitive: a batch of DFTs along the last axis of interleaved complex data,
 * X_k = scale · Σ_j x_j e^{∓2πi jk/n}. Work is done in float64 (complex64 rows are widened, then rounded once
 * on output). The inverse uses conj(F(conj(x))), folded into the copies in and out of the work buffer.
 */
import {
  type BluesteinPlan,
  type FftPlan,
  type StockhamPlan,
  chirpTables,
  planFor,
  smoothPlan,
} from './plan.js';
import { ValueError } from '../core/errors.js';
import { runStockham } from './stockham.js';
import { fftPow2Wasm } from '../kernels/fft.js';

/** Interleaved complex storage (complex128 or complex64). */
type Storage = Float64Array | Float32Array;

/** Scratch buffers, grown on demand and reused (the kernel is synchronous, so one set suffices). */
let scratch = new Float64Array(0);
function buffers(floats: number): [Float64Array, Float64Array, Float64Array] {
  if (scratch.length < 3 * floats) scratch = new Float64Array(3 * floats);
  return [
    scratch.subarray(0, floats),
    scratch.subarray(floats, 2 * floats),
    scratch.subarray(2 * floats, 3 * floats),
  ];
}

const plan = (n: number): FftPlan =>
  planFor(n, (p, data) => runStockham(p, data, new Float64Array(data.length)));

/**
 * Transforms `rows` contiguous rows of length n of `input` into `output` (both interleaved, `rows·n` complex
 * elements), with the sign of the exponent − (forward) or + (`inverse`), times `scale`. Powers of two go to
 * the wasm SIMD kernel (src/kernels/fft.ts), in one call for the whole batch; other lengths, and every length
 * where WebAssembly is unavailable, to the TypeScript passes ({@link fftRowsReference}).
 */
export function fftRows(
  input: Storage,
  output: Storage,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): void {
  if (rows === 0 || n === 0) return;
  if (fftPow2Wasm(input, output, rows, n, inverse, scale)) return;
  fftRowsReference(input, output, rows, n, inverse, scale);
}

/** {@link fftRows} by the TypeScript mixed-radix Stockham passes and Bluestein only (the reference of the wasm path). */
export function fftRowsReference(
  input: Storage,
  output: Storage,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): void {
  if (rows === 0 || n === 0) return;
  if (n === 1) {
    for (let i = 0; i < 2 * rows; i++) output[i] = input[i]! * scale;
    return;
  }
  const p = plan(n);
  const width = p.kind === 'stockham' ? 2 * n : 2 * p.m;
  const [a, b, c] = buffers(width);
  const sign = inverse ? -1 : 1;
  for (let row = 0; row < rows; row++) {
    const base = 2 * row * n;
    for (let i = 0; i < 2 * n; i += 2) {
      a[i] = input[base + i]!;
      a[i + 1] = sign * input[base + i + 1]!;
    }
    const res = p.kind === 'stockham' ? runStockham(p, a, b) : bluestein(p, a, b, c);
    const imScale = sign * scale;
    for (let i = 0; i < 2 * n; i += 2) {
      output[base + i] = res[i]! * scale;
      output[base + i + 1] = res[i + 1]! * imScale;
    }
  }
}

/**
 * Bluestein: a_j = x_j c_j (zero-padded to m), X = c ⊙ IFFT_m(FFT_m(a) ⊙ FFT_m(c̄ wrapped)/m)[0..n). `x` holds
 * the input in its first 2n floats; returns the buffer whose first 2n floats are the result.
 */
function bluestein(
  p: BluesteinPlan,
  x: Float64Array,
  work: Float64Array,
  other: Float64Array,
): Float64Array {
  const { n, m, chirp, kernelHat, inner } = p;
  for (let j = 0; j < 2 * n; j += 2) {
    const xr = x[j]!;
    const xi = x[j + 1]!;
    const cr = chirp[j]!;
    const ci = chirp[j + 1]!;
    other[j] = xr * cr - xi * ci;
    other[j + 1] = xr * ci + xi * cr;
  }
  other.fill(0, 2 * n, 2 * m);
  const A = runStockham(inner as StockhamPlan, other, work);
  // pointwise product, conjugated so the next forward pass computes the inverse: IFFT(z) = conj(FFT(conj z))
  for (let k = 0; k < 2 * m; k += 2) {
    const ar = A[k]!;
    const ai = A[k + 1]!;
    const br = kernelHat[k]!;
    const bi = kernelHat[k + 1]!;
    A[k] = ar * br - ai * bi;
    A[k + 1] = -(ar * bi + ai * br);
  }
  const spare = A === other ? work : other;
  const conv = runStockham(inner as StockhamPlan, A, spare);
  const out = conv === x ? work : x;
  for (let j = 0; j < 2 * n; j += 2) {
    const yr = conv[j]!;
    const yi = -conv[j + 1]!;
    const cr = chirp[j]!;
    const ci = chirp[j + 1]!;
    out[j] = yr * cr - yi * ci;
    out[j + 1] = yr * ci + yi * cr;
  }
  return out;
}

/**
 * Bluestein's chirp-z tables (Bluestein 1970) for a length-n DFT done as a circular convolution of length m:
 * `chirp` holds c_j = e^{−iπ j²/n} for j < n and `kernelHat` FFT_m(c̄ zero-padded and wrapped)/m, both
 * interleaved (re, im) float64; then X = c ⊙ IFFT_m(FFT_m(x ⊙ c, padded to m) ⊙ kernelHat·m)[0..n). For a
 * device FFT of power-of-two lengths that does any length (the GPU backend), computed here in float64.
 * `m` must be at least 2n − 1 and have no prime factor above 13.
 */
export function bluesteinTables(
  n: number,
  m: number,
): { readonly chirp: Float64Array; readonly kernelHat: Float64Array } {
  const inner =
    Number.isInteger(n) && n >= 1 && Number.isInteger(m) && m >= 2 * n - 1 ? smoothPlan(m) : null;
  if (inner === null) {
    throw new ValueError(
      'bluesteinTables',
      `needs integers n ≥ 1 and m ≥ 2n − 1 whose prime factors are all ≤ 13, got n = ${n}, m = ${m}; take m a power of two ≥ 2n − 1`,
    );
  }
  return chirpTables(n, m, (data) => runStockham(inner, data, new Float64Array(data.length)));
}
