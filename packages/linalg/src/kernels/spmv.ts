/**
 * CSR sparse products y = A·x and Y = A·B through the wasm kernels (assembly/spmv.ts), with a
 * plain-TypeScript reference of each that gives bitwise the same numbers.
 *
 * A sparse product reads ~12 bytes of the matrix per multiply-add, so copying the matrix into
 * the wasm memory on every call would cost more than the product. Sparse matrices are immutable
 * values, so instead the matrix is copied once into a *resident* block of the kernels memory
 * (keyed by the matrix object) and every later product copies only x in and y out. The first
 * product with a matrix runs in TypeScript; from the second on (the iterative solvers, eigsh,
 * PageRank and LOBPCG multiply by the same matrix hundreds of times) it runs in wasm, and from
 * {@link SPMV_PARALLEL_MIN_NNZ} stored entries its rows are split over the worker pool in blocks
 * of equal nnz.
 */
import type { KernelRuntime } from './wasm-module.js';
import { align16, getRuntime } from './wasm-module.js';
import { getPool, kernelThreads, MAX_ROW_BLOCKS, OP_SPMM_F64, OP_SPMV_F64 } from './pool.js';

/** The CSR arrays a product reads (a `CsrMatrix` is one; it must not be mutated after use). */
export interface CsrKernelArrays {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/**
 * Below this many stored entries the TypeScript loop is as fast as copying x in and y out and
 * calling wasm (measured: ~1 µs of fixed cost against ~1 ns per stored entry).
 */
export const SPMV_MIN_NNZ = 2048;

/**
 * From this many multiply-adds (nnz·k) a product is split across threads: 2^18 take ~0.3 ms on
 * one core, well above the ~12 µs of waking a worker.
 */
export const SPMV_PARALLEL_MIN_NNZ = 1 << 18;

/** Most bytes of resident matrices; past it every resident block is released and refilled. */
export const SPMV_RESIDENT_MAX_BYTES = 1 << 30;

interface Resident {
  readonly epoch: number;
  readonly indptr: number;
  readonly indices: number;
  readonly data: number;
  /** nnz-balanced row bounds per thread count. */
  readonly bounds: Map<number, Int32Array>;
}

const residents = new WeakMap<CsrKernelArrays, Resident>();
/** Matrices multiplied once already (the second product makes them resident). */
const seen = new WeakSet<CsrKernelArrays>();

/** y = A·x in TypeScript, one float64 sum per row in storage order (the reference). */
export function spmvReference(
  m: number,
  a: CsrKernelArrays,
  x: Float64Array,
  y: Float64Array,
): void {
  const { indptr, indices, data } = a;
  for (let i = 0; i < m; i++) {
    let s = 0;
    const end = indptr[i + 1]!;
    for (let p = indptr[i]!; p < end; p++) s += data[p]! * x[indices[p]!]!;
    y[i] = s;
  }
}

/** Y(m×k) = A·B for row-major B (columns×k) in TypeScript (the reference). */
export function spmmReference(
  m: number,
  k: number,
  a: CsrKernelArrays,
  b: Float64Array,
  out: Float64Array,
): void {
  const { indptr, indices, data } = a;
  out.fill(0, 0, m * k);
  for (let i = 0; i < m; i++) {
    const o = i * k;
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
      const v = data[p]!;
      const r = indices[p]! * k;
      for (let c = 0; c < k; c++) out[o + c]! += v * b[r + c]!;
    }
  }
}

/** The matrix's resident copy in the kernels memory, made now if needed; null if it does not fit. */
function residentOf(rt: KernelRuntime, a: CsrKernelArrays): Resident | null {
  const have = residents.get(a);
  if (have && have.epoch === rt.residentEpoch) return have;
  const sizes = [a.indptr.byteLength, a.indices.byteLength, a.data.byteLength].map(align16);
  const bytes = sizes[0]! + sizes[1]! + sizes[2]!;
  if (bytes > SPMV_RESIDENT_MAX_BYTES) return null;
  if (rt.base + bytes > SPMV_RESIDENT_MAX_BYTES) rt.clearResident();
  const ptr = rt.allocResident(bytes);
  if (ptr === null) return null;
  const r: Resident = {
    epoch: rt.residentEpoch,
    indptr: ptr,
    indices: ptr + sizes[0]!,
    data: ptr + sizes[0]! + sizes[1]!,
    bounds: new Map(),
  };
  new Int32Array(rt.memory.buffer, r.indptr, a.indptr.length).set(a.indptr);
  new Int32Array(rt.memory.buffer, r.indices, a.indices.length).set(a.indices);
  rt.f64(r.data, a.data.length).set(a.data);
  residents.set(a, r);
  return r;
}

/** Row bounds cutting the m rows into `count` blocks of about nnz/count stored entries each. */
function nnzBounds(indptr: Int32Array, m: number, count: number): Int32Array {
  const bounds = new Int32Array(count + 1);
  const nnz = indptr[m]!;
  let row = 0;
  for (let t = 1; t < count; t++) {
    const target = Math.round((t * nnz) / count);
    while (row < m && indptr[row]! < target) row++;
    bounds[t] = row;
  }
  bounds[count] = m;
  return bounds;
}

type Prepared = { rt: KernelRuntime; res: Resident };

/** The runtime and resident matrix for a wasm product, or null for the TypeScript path. */
function prepare(a: CsrKernelArrays, work: number): Prepared | null {
  if (a.data.length < SPMV_MIN_NNZ || work < SPMV_MIN_NNZ) return null;
  if (!seen.has(a)) {
    seen.add(a);
    return null;
  }
  const rt = getRuntime();
  const res = rt ? residentOf(rt, a) : null;
  return rt && res ? { rt, res } : null;
}

/** Threads for a product of `work` multiply-adds over m rows, and the pool if more than one. */
function threadsFor(rt: KernelRuntime, work: number, m: number) {
  const pool = work >= SPMV_PARALLEL_MIN_NNZ ? getPool(rt) : null;
  const threads = pool ? Math.min(1 + pool.readyCount(), kernelThreads(), m) : 1;
  return { pool: threads > 1 ? pool : null, threads };
}

function boundsFor(a: CsrKernelArrays, res: Resident, m: number, threads: number): Int32Array {
  let b = res.bounds.get(threads);
  if (!b) {
    b = nnzBounds(a.indptr, m, Math.min(MAX_ROW_BLOCKS, threads * 4));
    res.bounds.set(threads, b);
  }
  return b;
}

/**
 * y = A·x for the CSR arrays of an m-row matrix (x of length columns, y of length m), in wasm
 * from the second product with the same matrix and split across threads when large; bitwise
 * equal to {@link spmvReference}. Arguments are not checked (the callers have).
 */
export function spmvF64(m: number, a: CsrKernelArrays, x: Float64Array, y: Float64Array): void {
  const nnz = a.data.length;
  const ready = prepare(a, nnz);
  if (!ready) {
    spmvReference(m, a, x, y);
    return;
  }
  const { rt, res } = ready;
  const px = rt.base;
  const py = align16(px + x.length * 8);
  if (!rt.reserve(py + m * 8)) {
    spmvReference(m, a, x, y);
    return;
  }
  rt.f64(px, x.length).set(x);
  const whole = [m, res.indptr, res.indices, res.data, px, py];
  const run = (args: number[]) =>
    rt.exports.spmv_f64(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
  const { pool, threads } = threadsFor(rt, nnz, m);
  if (pool) {
    const bounds = boundsFor(a, res, m, threads);
    pool.runRows(
      OP_SPMV_F64,
      whole,
      { bounds, ptrArg: 1, outArg: 5, outRowBytes: 8 },
      threads - 1,
      run,
    );
  } else {
    run(whole);
  }
  y.set(rt.f64(py, m));
}

/**
 * Y(m×k) = A·B for the CSR arrays of an m-row matrix and a row-major B (columns×k); like
 * {@link spmvF64} (wasm SIMD over k, worker split for large products), bitwise equal to
 * {@link spmmReference}.
 */
export function spmmF64(
  m: number,
  k: number,
  a: CsrKernelArrays,
  b: Float64Array,
  out: Float64Array,
): void {
  const work = a.data.length * k;
  const ready = k > 0 ? prepare(a, work) : null;
  if (!ready) {
    spmmReference(m, k, a, b, out);
    return;
  }
  const { rt, res } = ready;
  const pb = rt.base;
  const po = align16(pb + b.length * 8);
  if (!rt.reserve(po + m * k * 8)) {
    spmmReference(m, k, a, b, out);
    return;
  }
  rt.f64(pb, b.length).set(b);
  const whole = [m, k, res.indptr, res.indices, res.data, pb, po];
  const run = (g: number[]) => rt.exports.spmm_f64(g[0]!, g[1]!, g[2]!, g[3]!, g[4]!, g[5]!, g[6]!);
  const { pool, threads } = threadsFor(rt, work, m);
  if (pool) {
    const bounds = boundsFor(a, res, m, threads);
    pool.runRows(
      OP_SPMM_F64,
      whole,
      { bounds, ptrArg: 2, outArg: 6, outRowBytes: k * 8 },
      threads - 1,
      run,
    );
  } else {
    run(whole);
  }
  out.set(rt.f64(po, m * k));
}
