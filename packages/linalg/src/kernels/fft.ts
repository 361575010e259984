/**
 * Power-of-two FFTs in the wasm kernels (assembly/fft.ts): rows are copied into the arena, transformed by
 * f64x2 radix-4 Stockham passes and copied out, in an instance of their own on a plain memory (copies into a shared one are ~3× slower, and
 * the FFT uses no worker threads). The twiddle tables are built once per length with correctly rounded `Math.cos`/`Math.sin`
 * (src/fft/plan.ts `root`) and kept resident in the kernels' memory, so a call copies only its data.
 *
 * complex64 rows of n ≥ 32 (and float32 rfft rows of n ≥ 64) stay float32: the f32x4 passes of
 * assembly/fft_c64.ts, with the same twiddles rounded once to float32 — twice the lanes and half the bytes of
 * the float64 passes, error O(ε₃₂ log n) (the tests bound it against the float64 DFT). Shorter complex64 rows
 * are widened on the way in and rounded once on the way out.
 *
 * Each function returns false, having written nothing, when the wasm kernels or the memory are unavailable;
 * the caller then runs the TypeScript Stockham passes (src/fft/stockham.ts).
 */
import type { FloatArray } from '../core/dtype.js';
import { root } from '../fft/plan.js';
import { align16, getPlainRuntime, type KernelRuntime } from './wasm-module.js';

/** Complex numbers per operand per kernel call (1 MiB of float64 pairs): batches go in chunks of rows this size. */
const CHUNK_COMPLEX = 1 << 16;
/** Resident twiddle bytes above which the resident blocks are released before adding another table. */
const FFT_RESIDENT_MAX_BYTES = 96 * 1024 * 1024;

interface ResidentTable {
  readonly ptr: number;
  readonly epoch: number;
}

/** Resident tables: key n for the complex passes, −n for the real-input post-pass of length n (float64). */
const tables = new Map<number, ResidentTable>();
/** The float32 kernels' resident tables, keyed as {@link tables}. */
const tables32 = new Map<number, ResidentTable>();

/** Shortest complex64 row the float32 passes take (both first passes do two j at a time). */
const C64_MIN = 32;

/** True for n = 2^k, k ≥ 1 (the lengths the wasm kernel transforms). */
export function isPow2Length(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

/** Writes e^{−2πi·num/den} as (wr, wr, −wi, wi) at out[at …]. */
function putTwiddle(
  num: number,
  den: number,
  out: Float64Array,
  at: number,
  pair: Float64Array,
): void {
  root(num, den, pair, 0);
  const wr = pair[0]!;
  const wi = pair[1]!;
  out[at] = wr;
  out[at + 1] = wr;
  out[at + 2] = -wi;
  out[at + 3] = wi;
}

/** Writes the radix-4 passes' twiddles for length n (layout of assembly/fft.ts) at table[at …]; returns the end. */
function putPassTwiddles(n: number, table: Float64Array, at: number, pair: Float64Array): number {
  // the first pass (radix 2, 4, 8 or 16, assembly/fft.ts `firstNs`) needs no table
  const first = n <= 4 ? n : Math.log2(n) % 2 === 1 ? 8 : 16;
  for (let ns = first; ns * 4 <= n; ns *= 4) {
    for (let jj = 0; jj < ns; jj++) {
      for (let r = 1; r < 4; r++) {
        putTwiddle(jj * r, 4 * ns, table, at, pair);
        at += 4;
      }
    }
  }
  return at;
}

/**
 * The twiddle table of fft_c128 for length n (assembly/fft.ts `fft_c128_twiddle_bytes`): the passes'
 * twiddles, or for a four-step length n = n1·n2 those of n1 and of n2, then w_n^{h·n2} (h < n1) and w_n^l
 * (l < n2).
 */
function passTwiddles(rt: KernelRuntime, n: number): Float64Array {
  const k = rt.exports;
  const table = new Float64Array(k.fft_c128_twiddle_bytes(n) / 8);
  const pair = new Float64Array(2);
  const n1 = k.fft_c128_split(n);
  if (n1 === 0) {
    putPassTwiddles(n, table, 0, pair);
    return table;
  }
  const n2 = n / n1;
  let at = putPassTwiddles(n1, table, 0, pair);
  at = putPassTwiddles(n2, table, at, pair);
  for (let h = 0; h < n1; h++, at += 4) putTwiddle(h * n2, n, table, at, pair);
  for (let l = 0; l < n2; l++, at += 4) putTwiddle(l, n, table, at, pair);
  return table;
}

/** w^k = e^{−2πi k/(2m)} for k ≤ m, for the real-input post-pass. */
function postTwiddles(m: number): Float64Array {
  const table = new Float64Array(4 * (m + 1));
  const pair = new Float64Array(2);
  for (let k = 0; k <= m; k++) putTwiddle(k, 2 * m, table, 4 * k, pair);
  return table;
}

/**
 * Byte address of the resident table `key` (in `tables32` for a float32 table, else `tables`), built by
 * `build` on a miss; null when the memory is full.
 */
function resident(
  rt: KernelRuntime,
  key: number,
  build: () => Float64Array | Float32Array,
  single = false,
): number | null {
  const map = single ? tables32 : tables;
  const hit = map.get(key);
  if (hit && hit.epoch === rt.residentEpoch) return hit.ptr;
  const table = build();
  if (rt.base + table.byteLength > FFT_RESIDENT_MAX_BYTES) rt.clearResident();
  const ptr = rt.allocResident(table.byteLength);
  if (ptr === null) return null;
  if (table instanceof Float32Array) rt.f32(ptr, table.length).set(table);
  else rt.f64(ptr, table.length).set(table);
  map.set(key, { ptr, epoch: rt.residentEpoch });
  return ptr;
}

/**
 * The twiddle table of fft_c64 for length n ≥ 32 (assembly/fft_c64.ts): for each radix-4 pass, each pair
 * (jj, jj + 1) and r = 1, 2, 3, (wr₀, wr₀, wr₁, wr₁) and (−wi₀, wi₀, −wi₁, wi₁) of w^{r·jj}, w^{r·(jj+1)},
 * each computed in float64 ({@link root}) and rounded once to float32.
 */
function passTwiddles32(rt: KernelRuntime, n: number): Float32Array {
  const table = new Float32Array(rt.exports.fft_c64_twiddle_bytes(n) / 4);
  const w0 = new Float64Array(2);
  const w1 = new Float64Array(2);
  let at = 0;
  for (let ns = Math.log2(n) % 2 === 1 ? 8 : 16; ns * 4 <= n; ns *= 4) {
    for (let jj = 0; jj < ns; jj += 2) {
      for (let r = 1; r < 4; r++, at += 8) {
        root(jj * r, 4 * ns, w0, 0);
        root((jj + 1) * r, 4 * ns, w1, 0);
        table.set([w0[0]!, w0[0]!, w1[0]!, w1[0]!, -w0[1]!, w0[1]!, -w1[1]!, w1[1]!], at);
      }
    }
  }
  return table;
}

/** w^k = e^{−2πi k/(2m)} for k ≤ m as float32 (rfft_post_c64): m + 1 pairs (wr, wr), then m + 1 (−wi, wi). */
function postTwiddles32(m: number): Float32Array {
  const table = new Float32Array(4 * (m + 1));
  const w = new Float64Array(2);
  for (let k = 0; k <= m; k++) {
    root(k, 2 * m, w, 0);
    table[2 * k] = w[0]!;
    table[2 * k + 1] = w[0]!;
    table[2 * (m + 1 + k)] = -w[1]!;
    table[2 * (m + 1 + k) + 1] = w[1]!;
  }
  return table;
}

/** A float64 view of the whole kernels memory, rebuilt only when the memory grew (its buffer changed). */
let heapBuffer: unknown = null;
let heapView = new Float64Array(0);
function heap(rt: KernelRuntime): Float64Array {
  const buffer = rt.memory.buffer;
  if (buffer !== heapBuffer) {
    heapBuffer = buffer;
    heapView = new Float64Array(buffer as ArrayBuffer);
  }
  return heapView;
}

/** A float32 view of the whole kernels memory, as {@link heap}. */
let heap32Buffer: unknown = null;
let heap32View = new Float32Array(0);
function heap32(rt: KernelRuntime): Float32Array {
  const buffer = rt.memory.buffer;
  if (buffer !== heap32Buffer) {
    heap32Buffer = buffer;
    heap32View = new Float32Array(buffer as ArrayBuffer);
  }
  return heap32View;
}

/** Copies input[from, to) (float64 or float32, widened) to byte address `at` of the kernels memory. */
function copyIn(rt: KernelRuntime, at: number, input: FloatArray, from: number, to: number): void {
  heap(rt).set(from === 0 && to === input.length ? input : input.subarray(from, to), at / 8);
}

/** Copies `length` float64 values at byte address `at` of the kernels memory to output[offset …] (rounded for float32). */
function copyOut(
  rt: KernelRuntime,
  at: number,
  length: number,
  output: FloatArray,
  offset: number,
): void {
  output.set(heap(rt).subarray(at / 8, at / 8 + length), offset);
}

/**
 * DFTs of `rows` contiguous rows of n = 2^k complex numbers (interleaved) from `input` into `output`:
 * X_k = scale · Σ_j x_j e^{∓2πi jk/n}, sign + when `inverse` (via conj(F(conj x))).
 */
export function fftPow2Wasm(
  input: FloatArray,
  output: FloatArray,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): boolean {
  if (!isPow2Length(n)) return false;
  const rt = getPlainRuntime();
  if (!rt) return false;
  if (
    usesFloat32Passes(n, false) &&
    input instanceof Float32Array &&
    output instanceof Float32Array
  ) {
    return fftC64(rt, input, output, rows, n, inverse, scale);
  }
  const tw = resident(rt, n, () => passTwiddles(rt, n));
  if (tw === null) return false;
  const chunkRows = Math.max(1, Math.min(rows, Math.floor(CHUNK_COMPLEX / n)));
  const bytes = align16(chunkRows * n * 16);
  const x = rt.base;
  const y = x + bytes;
  const scratch = y + bytes;
  if (!rt.reserve(scratch + rt.exports.fft_c128_scratch_bytes(n))) return false;
  const k = rt.exports;
  const sr = scale;
  const si = inverse ? -scale : scale;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const count = Math.min(chunkRows, rows - r0) * n;
    copyIn(rt, x, input, 2 * r0 * n, 2 * r0 * n + 2 * count);
    if (inverse) k.scale_c128(x, count, 1, -1);
    const res = k.fft_c128(x, y, n, count / n, tw, scratch);
    if (sr !== 1 || si !== 1) k.scale_c128(res, count, sr, si);
    copyOut(rt, res, 2 * count, output, 2 * r0 * n);
  }
  return true;
}

/**
 * True when float32 rows of length n go to the float32 kernels: complex64 rows of n ≥ 32, or (`real`) float32
 * rfft rows of n ≥ 64 (a half length ≥ 32); shorter ones are widened to the float64 kernels.
 */
export function usesFloat32Passes(n: number, real: boolean): boolean {
  return isPow2Length(n) && (real ? n / 2 : n) >= C64_MIN;
}

/** {@link fftPow2Wasm} of complex64 rows of n ≥ {@link C64_MIN} by the float32 passes. */
function fftC64(
  rt: KernelRuntime,
  input: Float32Array,
  output: Float32Array,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): boolean {
  const tw = resident(rt, n, () => passTwiddles32(rt, n), true);
  if (tw === null) return false;
  const chunkRows = Math.max(1, Math.min(rows, Math.floor(CHUNK_COMPLEX / n)));
  const bytes = align16(chunkRows * n * 8);
  const x = rt.base;
  const y = x + bytes;
  const scratch = y + bytes;
  const k = rt.exports;
  if (!rt.reserve(scratch + k.fft_c64_scratch_bytes(n))) return false;
  const si = inverse ? -scale : scale;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const count = Math.min(chunkRows, rows - r0) * n;
    const from = 2 * r0 * n;
    const to = from + 2 * count;
    heap32(rt).set(from === 0 && to === input.length ? input : input.subarray(from, to), x / 4);
    if (inverse) k.scale_c64(x, count, 1, -1);
    const res = k.fft_c64(x, y, n, count / n, tw, scratch);
    if (scale !== 1 || si !== 1) k.scale_c64(res, count, scale, si);
    output.set(heap32(rt).subarray(res / 4, res / 4 + 2 * count), from);
  }
  return true;
}

/** Largest slab (complex numbers, in and out each) that {@link fftAxisWasm} copies into the kernels' memory. */
const AXIS_SLAB_MAX = 1 << 22;
/** Columns gathered into rows per kernel call by {@link fftAxisWasm}. */
const AXIS_COLUMNS = 16;

/**
 * DFTs along a non-last axis without transposing the array: `input` (interleaved complex) has shape
 * [outer, n, inner] with n = 2^k the transformed axis; each [n, inner] slab is copied into the kernels' memory,
 * its columns are gathered 16 at a time into rows, transformed, and scattered into the output slab. Same
 * scaling and sign conventions as {@link fftPow2Wasm}.
 */
export function fftAxisWasm(
  input: FloatArray,
  output: FloatArray,
  outer: number,
  n: number,
  inner: number,
  inverse: boolean,
  scale: number,
): boolean {
  const slab = n * inner;
  if (!isPow2Length(n) || slab > AXIS_SLAB_MAX) return false;
  const rt = getPlainRuntime();
  if (!rt) return false;
  const tw = resident(rt, n, () => passTwiddles(rt, n));
  if (tw === null) return false;
  const slabBytes = align16(slab * 16);
  const rowsBytes = align16(AXIS_COLUMNS * n * 16);
  const src = rt.base;
  const dst = src + slabBytes;
  const x = dst + slabBytes;
  const y = x + rowsBytes;
  const scratch = y + rowsBytes;
  if (!rt.reserve(scratch + rt.exports.fft_c128_scratch_bytes(n))) return false;
  const k = rt.exports;
  const sr = scale;
  const si = inverse ? -scale : scale;
  for (let o = 0; o < outer; o++) {
    rt.f64(src, 2 * slab).set(input.subarray(2 * o * slab, 2 * (o + 1) * slab));
    for (let c0 = 0; c0 < inner; c0 += AXIS_COLUMNS) {
      const count = Math.min(AXIS_COLUMNS, inner - c0);
      k.gather_c128(src + 16 * c0, x, n, inner, count);
      if (inverse) k.scale_c128(x, count * n, 1, -1);
      const res = k.fft_c128(x, y, n, count, tw, scratch);
      if (sr !== 1 || si !== 1) k.scale_c128(res, count * n, sr, si);
      k.scatter_c128(res, dst + 16 * c0, n, inner, count);
    }
    output.set(rt.f64(dst, 2 * slab), 2 * o * slab);
  }
  return true;
}

/**
 * What rfft and irfft of length n (n/2 = 2^k ≥ 2) share: the runtime, the resident twiddle tables of the
 * half-length pass and of the post/pre-pass, and two chunk buffers of n/2 + 1 complex values per row; null
 * when the kernel cannot run (not a power-of-two half, no runtime, no room).
 */
interface HalfLengthPlan {
  rt: KernelRuntime;
  n: number;
  rows: number;
  /** The float32 kernels (fft_c64, rfft_post_c64): rfft of float32 rows with n/2 ≥ {@link C64_MIN}. */
  single: boolean;
  epoch: number;
  base: number;
  m: number;
  pass: number;
  post: number;
  chunkRows: number;
  x: number;
  y: number;
  scratch: number;
}

/** The last plan made, reused while its length, batch, resident tables and arena are unchanged (a loop of rffts). */
let lastHalf: HalfLengthPlan | null = null;

function halfLengthPlan(rows: number, n: number, single: boolean): HalfLengthPlan | null {
  const last = lastHalf;
  if (
    last !== null &&
    last.n === n &&
    last.rows === rows &&
    last.single === single &&
    last.epoch === last.rt.residentEpoch &&
    last.base === last.rt.base
  ) {
    return last;
  }
  const m = n / 2;
  if (!isPow2Length(m)) return null;
  const rt = getPlainRuntime();
  if (!rt) return null;
  const passTable = single ? () => passTwiddles32(rt, m) : () => passTwiddles(rt, m);
  const postTable = single ? () => postTwiddles32(m) : () => postTwiddles(m);
  let pass = resident(rt, m, passTable, single);
  const post = pass === null ? null : resident(rt, -n, postTable, single);
  // adding the post table may have released the resident blocks (memory full): look the pass table up again
  if (post !== null) pass = resident(rt, m, passTable, single);
  const map = single ? tables32 : tables;
  if (pass === null || post === null || map.get(-n)?.epoch !== rt.residentEpoch) return null;
  const chunkRows = Math.max(1, Math.min(rows, Math.floor(CHUNK_COMPLEX / m)));
  const bytes = align16(chunkRows * (m + 1) * (single ? 8 : 16));
  const x = rt.base;
  const y = x + bytes;
  const scratch = y + bytes;
  const k = rt.exports;
  const scratchBytes = single ? k.fft_c64_scratch_bytes(m) : k.fft_c128_scratch_bytes(m);
  if (!rt.reserve(scratch + scratchBytes)) return null;
  const epoch = rt.residentEpoch;
  lastHalf = { rt, n, rows, single, epoch, base: x, m, pass, post, chunkRows, x, y, scratch };
  return lastHalf;
}

/**
 * Real-input DFTs of `rows` contiguous real rows of even length n (n/2 = 2^k ≥ 2) from `input`, the n/2 + 1
 * non-negative frequencies of each row (interleaved complex) into `output`, times `scale`: one complex FFT of
 * half the length on z_j = x_{2j} + i x_{2j+1} (the real rows read as interleaved complex) and a post-pass.
 */
export function rfftPow2Wasm(
  input: FloatArray,
  output: FloatArray,
  rows: number,
  n: number,
  scale: number,
): boolean {
  const single =
    input instanceof Float32Array && output instanceof Float32Array && usesFloat32Passes(n, true);
  const plan = halfLengthPlan(rows, n, single);
  if (plan === null) return false;
  const { rt, m, pass, post, chunkRows, x, y, scratch } = plan;
  const k = rt.exports;
  if (single) {
    for (let r0 = 0; r0 < rows; r0 += chunkRows) {
      const count = Math.min(chunkRows, rows - r0);
      const from = r0 * n;
      const to = (r0 + count) * n;
      heap32(rt).set(from === 0 && to === input.length ? input : input.subarray(from, to), x / 4);
      const res = k.fft_c64(x, y, m, count, pass, scratch);
      const out = res === x ? y : x;
      k.rfft_post_c64(res, out, m, count, post, scale);
      const at = out / 4;
      output.set(heap32(rt).subarray(at, at + 2 * count * (m + 1)), 2 * r0 * (m + 1));
    }
    return true;
  }
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const count = Math.min(chunkRows, rows - r0);
    copyIn(rt, x, input, r0 * n, (r0 + count) * n);
    const res = k.fft_c128(x, y, m, count, pass, scratch);
    const out = res === x ? y : x;
    k.rfft_post_c128(res, out, m, count, post, scale);
    copyOut(rt, out, 2 * count * (m + 1), output, 2 * r0 * (m + 1));
  }
  return true;
}

/**
 * Inverse real DFTs: from `rows` rows of the n/2 + 1 non-negative frequencies (interleaved complex, n even,
 * n/2 = 2^k ≥ 2) in `input`, the real rows of length n, x_j = scale · Σ_{k<n} X_k e^{2πi jk/n} with
 * X_{n−k} = conj X_k, into `output`: a pre-pass and one complex FFT of half the length (the imaginary parts of
 * X_0 and X_{n/2} are ignored, as in NumPy).
 */
export function irfftPow2Wasm(
  input: FloatArray,
  output: FloatArray,
  rows: number,
  n: number,
  scale: number,
): boolean {
  const plan = halfLengthPlan(rows, n, false);
  if (plan === null) return false;
  const { rt, m, pass, post: pre, chunkRows, x, y, scratch } = plan;
  const k = rt.exports;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const count = Math.min(chunkRows, rows - r0);
    rt.f64(x, 2 * count * (m + 1)).set(
      input.subarray(2 * r0 * (m + 1), 2 * (r0 + count) * (m + 1)),
    );
    k.irfft_pre_c128(x, y, m, count, pre);
    const res = k.fft_c128(y, x, m, count, pass, scratch);
    // conj(FFT(conj Z')) is the unscaled inverse; Z' is twice the half-length spectrum
    k.scale_c128(res, count * m, scale, -scale);
    output.set(rt.f64(res, count * n), r0 * n);
  }
  return true;
}
