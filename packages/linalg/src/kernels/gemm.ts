/**
 * GEMM on typed arrays through the WebAssembly SIMD kernels (assembly/gemm_f64.ts, gemm_f32.ts):
 * operands are copied into the thread's wasm arena (O(n²), against O(n³) work), multiplied there
 * with packed, cache-blocked panels, and C is copied back. Large products are split by rows (or
 * columns) of C across the worker pool; small ones run in TypeScript, where the copies and the
 * call would cost more than they save.
 */
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import type { FloatArray } from '../core/dtype.js';
import { gemmReference } from './gemm-reference.js';
import {
  type GemmArgs,
  type GemmOp,
  getPool,
  kernelThreads,
  OP_GEMM_F32,
  OP_GEMM_F32_PACKED,
  OP_GEMM_F64,
  OP_GEMM_F64_PACKED,
} from './pool.js';
import { align16, getPlainRuntime, getRuntime, type KernelRuntime } from './wasm-module.js';

/**
 * Below this many multiply-adds (m·n·k) the TypeScript loop wins: checking, copying in, calling
 * and copying out cost ~0.2 µs. Measured (CPU time per float64 product, gemmF64 vs the
 * TypeScript reference): 2³ 0.18 vs 0.08 µs, 4³ 0.31 vs 0.26, 6³ 0.47 vs 0.52, 8³ 0.45 vs 0.97,
 * 16³ 1.2 vs 6.8.
 */
export const WASM_MIN_WORK = 200;

/**
 * From this many multiply-adds (2^22 ≈ 161³) a product is split across threads. Below it the
 * saving is small against the fixed costs: waking a worker (~12 µs measured), packing B once
 * on the calling thread, and the OS not scheduling the worker at once on a busy machine. At
 * ~20 GFLOP/s (float64, one core) a 2^22 product takes ~0.4 ms, so half of it comfortably
 * exceeds those costs; 2^20 would roughly break even.
 */
export const PARALLEL_MIN_WORK = 1 << 22;

/** One element type of the wasm gemm: its kernels and views. */
export interface GemmKind {
  readonly name: string;
  readonly bytes: 4 | 8;
  readonly op: GemmOp;
  readonly packedOp: GemmOp;
  readonly scratch: (rt: KernelRuntime) => number;
  readonly run: (rt: KernelRuntime, args: GemmArgs) => void;
  readonly runPacked: (rt: KernelRuntime, args: GemmArgs) => void;
  readonly packedBBytes: (rt: KernelRuntime, k: number, n: number) => number;
  readonly packB: (
    rt: KernelRuntime,
    k: number,
    n: number,
    b: number,
    rsB: number,
    csB: number,
    dst: number,
  ) => void;
  readonly view: (rt: KernelRuntime, ptr: number, length: number) => FloatArray;
}

const F64: GemmKind = {
  name: 'gemmF64',
  bytes: 8,
  op: OP_GEMM_F64,
  packedOp: OP_GEMM_F64_PACKED,
  scratch: (rt) => rt.exports.gemm_f64_scratch_bytes(),
  run: (rt, g) => rt.exports.gemm_f64(...g),
  runPacked: (rt, g) => rt.exports.gemm_f64_packed(...g),
  packedBBytes: (rt, k, n) => rt.exports.gemm_f64_packed_b_bytes(k, n) >>> 0,
  packB: (rt, k, n, b, rsB, csB, dst) => rt.exports.gemm_f64_pack_b(k, n, b, rsB, csB, dst),
  view: (rt, ptr, length) => rt.f64(ptr, length),
};

const F32: GemmKind = {
  name: 'gemmF32',
  bytes: 4,
  op: OP_GEMM_F32,
  packedOp: OP_GEMM_F32_PACKED,
  scratch: (rt) => rt.exports.gemm_f32_scratch_bytes(),
  run: (rt, g) => rt.exports.gemm_f32(...g),
  runPacked: (rt, g) => rt.exports.gemm_f32_packed(...g),
  packedBBytes: (rt, k, n) => rt.exports.gemm_f32_packed_b_bytes(k, n) >>> 0,
  packB: (rt, k, n, b, rsB, csB, dst) => rt.exports.gemm_f32_pack_b(k, n, b, rsB, csB, dst),
  view: (rt, ptr, length) => rt.f32(ptr, length),
};

function checkArgs(
  kind: GemmKind,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA: boolean,
  transB: boolean,
): void {
  for (const [label, v] of [
    ['m', m],
    ['n', n],
    ['k', k],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new ValueError(kind.name, `${label} must be a non-negative integer, got ${v}.`);
    }
  }
  const shapeA = transA ? `(${k}, ${m})` : `(${m}, ${k})`;
  const shapeB = transB ? `(${n}, ${k})` : `(${k}, ${n})`;
  if (a.length !== m * k || b.length !== k * n || c.length !== m * n) {
    throw new ShapeError(
      kind.name,
      `expected A ${shapeA}, B ${shapeB}, C (${m}, ${n}) as row-major arrays of ${m * k}, ${k * n} ` +
        `and ${m * n} elements, got lengths ${a.length}, ${b.length} and ${c.length}; ` +
        'pass subarray views of exactly one matrix each.',
    );
  }
}

/** Blocks per thread of a parallel gemm: enough to rebalance when a thread is slowed down, few
 * enough that re-packing B (rows) or A (columns) per block stays a few per cent of the work. */
const BLOCKS_PER_THREAD = 3;

/** Cut C into row blocks when m ≥ n, else column blocks, on multiples of 8 (the tile edges). */
function planSplit(m: number, n: number, threads: number) {
  const byCols = m < n;
  const extent = byCols ? n : m;
  const chunk = Math.max(8, Math.ceil(extent / (threads * BLOCKS_PER_THREAD) / 8) * 8);
  return { byCols, chunk, count: Math.ceil(extent / chunk) };
}

/** How one gemm call runs: on how many threads, split how, with how much scratch after its operands. */
export interface GemmLayout {
  readonly kind: GemmKind;
  readonly pool: ReturnType<typeof getPool>;
  readonly wanted: number;
  readonly split: ReturnType<typeof planSplit> | null;
  readonly scratchBytes: number;
  /** A row split shares one packed copy of B between the threads. */
  readonly sharedB: boolean;
  /** Bytes the call needs past the free pointer it is given (per-thread scratch, packed B). */
  readonly bytes: number;
}

/** The kernel kind for 4- or 8-byte floats. */
export function gemmKind(bytes: 4 | 8): GemmKind {
  return bytes === 4 ? F32 : F64;
}

/** Threads, split and scratch of an m×n×k product (the same for every call of that size). */
export function layoutGemm(
  kind: GemmKind,
  rt: KernelRuntime,
  m: number,
  n: number,
  k: number,
): GemmLayout {
  const pool = m * n * k >= PARALLEL_MIN_WORK ? getPool(rt) : null;
  const wanted = pool
    ? Math.min(1 + pool.readyCount(), kernelThreads(), Math.ceil(Math.max(m, n) / 8))
    : 1;
  const scratchBytes = align16(kind.scratch(rt));
  const split = wanted > 1 ? planSplit(m, n, wanted) : null;
  // a column split packs only each block's own columns of B, so it needs no shared copy
  const sharedB = split !== null && !split.byCols;
  const packedB = sharedB ? kind.packedBBytes(rt, k, n) : 0;
  return {
    kind,
    pool,
    wanted,
    split,
    scratchBytes,
    sharedB,
    bytes: align16(wanted * scratchBytes + packedB),
  };
}

/**
 * C = op(A)·op(B) on operands already in the kernels' memory: `args` as gemm_f32/gemm_f64 take them,
 * its scratch slot (args[11]) the first free byte, with `layout.bytes` reserved from there on.
 */
export function gemmInMemory(rt: KernelRuntime, layout: GemmLayout, args: GemmArgs): void {
  const { kind, pool, split } = layout;
  if (pool && split) {
    const blocks = { ...split, bytes: kind.bytes, scratchBytes: layout.scratchBytes };
    if (layout.sharedB) {
      const [, n, k, , , , ptrB, rsB, csB] = args;
      const whole: GemmArgs = [...args];
      whole[6] = align16(args[11] + layout.wanted * layout.scratchBytes);
      kind.packB(rt, k, n, ptrB, rsB, csB, whole[6]);
      pool.runGemm(kind.packedOp, whole, blocks, layout.wanted - 1, (a) =>
        kind.runPacked(rt, a as GemmArgs),
      );
    } else {
      pool.runGemm(kind.op, args, blocks, layout.wanted - 1, (a) => kind.run(rt, a as GemmArgs));
    }
  } else {
    kind.run(rt, args);
  }
}

function gemmWasm(
  kind: GemmKind,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA: boolean,
  transB: boolean,
): void {
  checkArgs(kind, m, n, k, a, b, c, transA, transB);
  const work = m * n * k;
  // a product the worker pool may split needs the shared memory; any other runs on this thread alone, in the
  // plain memory, where the copies in and out cost a third of those into the shared one
  const rt =
    work < WASM_MIN_WORK
      ? null
      : work >= PARALLEL_MIN_WORK && kernelThreads() > 1
        ? getRuntime()
        : getPlainRuntime();
  const layout = rt ? layoutGemm(kind, rt, m, n, k) : null;
  const ptrA = rt?.base ?? 0;
  const ptrB = align16(ptrA + m * k * kind.bytes);
  const ptrC = align16(ptrB + k * n * kind.bytes);
  const ptrScratch = align16(ptrC + m * n * kind.bytes);
  if (!rt || !layout || !rt.reserve(ptrScratch + layout.bytes)) {
    gemmReference(m, n, k, a, b, c, transA, transB);
    return;
  }
  kind.view(rt, ptrA, m * k).set(a);
  kind.view(rt, ptrB, k * n).set(b);
  // element strides of op(A) and op(B): A(i,p) = a[i·rsA + p·csA], B(p,j) = b[p·rsB + j·csB]
  gemmInMemory(rt, layout, [
    m,
    n,
    k,
    ptrA,
    transA ? 1 : k,
    transA ? m : 1,
    ptrB,
    transB ? 1 : n,
    transB ? k : 1,
    ptrC,
    n,
    ptrScratch,
  ]);
  c.set(kind.view(rt, ptrC, m * n));
}

/**
 * C(m×n) = op(A)·op(B) in float64, overwriting C (WebAssembly SIMD; large products use the
 * worker pool). A is m×k (k×m if `transA`), B is k×n (n×k if `transB`), row-major, contiguous.
 */
export function gemmF64(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  transA = false,
  transB = false,
): void {
  gemmWasm(F64, m, n, k, a, b, c, transA, transB);
}

/** C(m×n) = op(A)·op(B) in float32, overwriting C; see {@link gemmF64}. */
export function gemmF32(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  transA = false,
  transB = false,
): void {
  gemmWasm(F32, m, n, k, a, b, c, transA, transB);
}

/**
 * {@link gemmF64} or {@link gemmF32} by the arrays' type (all three must match), for callers
 * holding either dtype (the CPU backend's `Gemm` slot).
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA = false,
  transB = false,
): void {
  if (a instanceof Float64Array && b instanceof Float64Array && c instanceof Float64Array) {
    gemmWasm(F64, m, n, k, a, b, c, transA, transB);
  } else if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
    gemmWasm(F32, m, n, k, a, b, c, transA, transB);
  } else {
    throw new DTypeError(
      'gemm',
      `A, B and C must all be Float64Array or all Float32Array, got ${a.constructor.name}, ` +
        `${b.constructor.name} and ${c.constructor.name}; convert with astype first.`,
    );
  }
}
