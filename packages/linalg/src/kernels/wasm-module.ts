/**
 * Loading the WebAssembly kernels: one compiled module per process, one instance per thread, each
 * instance with a grow-only arena in its linear memory that every call reuses (so repeated calls
 * do not grow memory). In Node the memory is shared, so worker threads (pool.ts) can compute row
 * blocks of the same product in place; elsewhere it is a plain memory and everything runs on the
 * calling thread.
 */
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';
import {
  type WasmApi,
  type WasmInstance,
  type WasmMemory,
  type WasmModule,
  wasmApi,
} from './wasm-api.js';

/** The functions exported by assembly/index.ts (pointers are byte offsets into the memory). */
export interface KernelExports {
  gemm_f64(
    m: number,
    n: number,
    k: number,
    a: number,
    rsA: number,
    csA: number,
    b: number,
    rsB: number,
    csB: number,
    c: number,
    ldc: number,
    scratch: number,
  ): void;
  gemm_f32: KernelExports['gemm_f64'];
  /** gemm with B pre-packed by `gemm_*_pack_b` (argument 7 is the packed B; 8 and 9 unused). */
  gemm_f64_packed: KernelExports['gemm_f64'];
  gemm_f32_packed: KernelExports['gemm_f64'];
  gemm_f64_pack_b(k: number, n: number, b: number, rsB: number, csB: number, dst: number): void;
  gemm_f32_pack_b: KernelExports['gemm_f64_pack_b'];
  gemm_f64_packed_b_bytes(k: number, n: number): number;
  gemm_f32_packed_b_bytes(k: number, n: number): number;
  gemm_f64_scratch_bytes(): number;
  gemm_f32_scratch_bytes(): number;
  sum_f64(x: number, n: number): number;
  sum_f32(x: number, n: number): number;
  dot_f64(x: number, y: number, n: number): number;
  dot_f32(x: number, y: number, n: number): number;
  tanh_f64(x: number, out: number, n: number): void;
  tanh_f32(x: number, out: number, n: number): void;
  mul_add_tanh_f64(a: number, b: number, c: number, out: number, n: number): void;
  mul_add_tanh_f32(a: number, b: number, c: number, out: number, n: number): void;
  im2col_f64(
    x: number,
    cg: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    oh: number,
    ow: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    cols: number,
  ): void;
  im2col_f32: KernelExports['im2col_f64'];
  /** col2im: the same geometry, cols first and x (added into) last. */
  col2im_f64: KernelExports['im2col_f64'];
  col2im_f32: KernelExports['im2col_f64'];
  add_f64(dst: number, src: number, n: number): void;
  add_f32(dst: number, src: number, n: number): void;
  spmv_f64(m: number, indptr: number, indices: number, data: number, x: number, y: number): void;
  tsqr_factor_f64(a: number, rows: number, n: number, x: number, taus: number): void;
  /** out[r·n + j] = a[r]·b[j] for r < rows, j < n (rows of an outer product). */
  outer_rows_f64(a: number, b: number, out: number, rows: number, n: number): void;
  outer_rows_f32: KernelExports['outer_rows_f64'];
  tsqr_q_f64(
    x: number,
    rows: number,
    n: number,
    taus: number,
    s: number,
    q: number,
    out: number,
  ): void;
  /**
   * Power-of-two complex FFTs of `rows` rows of n at x (y the other buffer, `fft_c128_scratch_bytes(n)` of
   * scratch); returns the results' address.
   */
  fft_c128(x: number, y: number, n: number, rows: number, tw: number, scratch: number): number;
  fft_c128_twiddle_bytes(n: number): number;
  fft_c128_scratch_bytes(n: number): number;
  /** n1 of the four-step split n = n1·n2, or 0 for a length done by passes alone. */
  fft_c128_split(n: number): number;
  /**
   * The split-lane float64 FFTs of `rows` rows of n ≥ 32 at x (assembly/fft_c128_lanes.ts), y the other
   * buffer; returns the results' address.
   */
  fft_c128_lanes(x: number, y: number, n: number, rows: number, tw: number): number;
  fft_c128_lanes_twiddle_bytes(n: number): number;
  scale_c128(z: number, count: number, sr: number, si: number): void;
  rfft_post_c128(z: number, out: number, m: number, rows: number, tw: number, scale: number): void;
  irfft_pre_c128(x: number, z: number, m: number, rows: number, tw: number): void;
  /**
   * The float32 (complex64) FFTs of `rows` rows of n ≥ 32 at x (assembly/fft_c64.ts), y the other buffer,
   * `fft_c64_scratch_bytes(n)` of scratch; returns the results' address.
   */
  fft_c64(x: number, y: number, n: number, rows: number, tw: number, scratch: number): number;
  fft_c64_twiddle_bytes(n: number): number;
  fft_c64_scratch_bytes(n: number): number;
  scale_c64(z: number, count: number, sr: number, si: number): void;
  rfft_post_c64(z: number, out: number, m: number, rows: number, tw: number, scale: number): void;
  gather_c128(src: number, dst: number, len: number, stride: number, count: number): void;
  scatter_c128(src: number, dst: number, len: number, stride: number, count: number): void;
  spmm_f64(
    m: number,
    k: number,
    indptr: number,
    indices: number,
    data: number,
    b: number,
    out: number,
  ): void;
}

/** Bytes per wasm page. */
const PAGE = 65536;
/** Largest wasm32 memory, in pages (4 GiB); the shared variant declares it as its maximum. */
export const MAX_PAGES = 65536;

/** One kernels instance on the current thread, with its memory and arena. */
export class KernelRuntime {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  readonly module: WasmModule;
  readonly shared: boolean;
  /**
   * Byte offset where the per-call scratch arena starts. Below it lie *resident* blocks: operands
   * kept in the memory across calls (a sparse matrix that an iterative solver multiplies by
   * thousands of times), allocated by {@link KernelRuntime.allocResident}. Every kernel wrapper
   * lays out its scratch from `base` upwards.
   */
  base = 0;
  /** Incremented by {@link KernelRuntime.clearResident}; a resident block is valid while its epoch is current. */
  residentEpoch = 0;

  constructor(module: WasmModule, memory: WasmMemory, instance: WasmInstance) {
    this.module = module;
    this.memory = memory;
    this.shared = memory.buffer instanceof SharedArrayBufferCtor();
    this.exports = instance.exports as unknown as KernelExports;
  }

  /** Current size of the linear memory in bytes (grows only, never shrinks). */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Make the arena at least `bytes` long. Returns false when the memory cannot grow that far
   * (over 4 GiB, or the engine refuses), so the caller can fall back to the TypeScript kernel.
   */
  reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return false;
    try {
      this.memory.grow(pages);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Reserve `bytes` (16-aligned) of resident memory below the scratch arena and return its byte
   * offset, or null when the memory cannot grow that far. The block stays valid until
   * {@link KernelRuntime.clearResident}; nothing else writes to it.
   */
  allocResident(bytes: number): number | null {
    const ptr = this.base;
    const end = align16(ptr + bytes);
    if (!this.reserve(end)) return null;
    this.base = end;
    return ptr;
  }

  /** Release every resident block at once (their epoch ends; the memory is reused, not returned). */
  clearResident(): void {
    this.base = 0;
    this.residentEpoch++;
  }

  /** A Float64Array view of `length` elements at byte offset `ptr` (valid until the next grow). */
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  /** A Float32Array view of `length` elements at byte offset `ptr` (valid until the next grow). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }
}

/** Round a byte offset up to 16 (v128 alignment). */
export function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** True in Node (worker_threads and shared wasm memory are available there). */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

function SharedArrayBufferCtor(): new (...args: never[]) => unknown {
  // a class that nothing is an instance of where SharedArrayBuffer does not exist
  return typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : class {};
}

function newMemory(api: WasmApi, shared: boolean): WasmMemory {
  return shared
    ? new api.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })
    : new api.Memory({ initial: 1 });
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Shared memory where worker threads can use it: Node, or a cross-origin-isolated page. */
function wantShared(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return (isNode() || isolated) && typeof SharedArrayBuffer === 'function';
}

let runtime: KernelRuntime | null | undefined;

/** Instantiate one variant synchronously. */
function createSync(api: WasmApi, shared: boolean): KernelRuntime {
  const module = new api.Module(
    decodeBase64(shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64),
  );
  const memory = newMemory(api, shared);
  return new KernelRuntime(module, memory, new api.Instance(module, { env: { memory } }));
}

/** Instantiate one variant asynchronously. */
async function createAsync(api: WasmApi, shared: boolean): Promise<KernelRuntime> {
  const module = await api.compile(
    decodeBase64(shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64),
  );
  const memory = newMemory(api, shared);
  return new KernelRuntime(module, memory, await api.instantiate(module, { env: { memory } }));
}

/**
 * The kernels instance of this thread, compiled synchronously on first use; null where
 * WebAssembly (SIMD) is unavailable or synchronous compilation is refused (a browser main thread
 * may refuse it: call {@link initKernels} first there). Callers then use the TypeScript kernels.
 * Where a shared memory cannot be reserved (4 GiB of address space), the plain variant is used.
 */
export function getRuntime(): KernelRuntime | null {
  if (runtime !== undefined) return runtime;
  const api = wasmApi();
  runtime = null;
  if (!api) return runtime;
  for (const shared of wantShared() ? [true, false] : [false]) {
    try {
      runtime = createSync(api, shared);
      break;
    } catch {
      // next variant, or the TypeScript kernels
    }
  }
  return runtime;
}

let plainRuntime: KernelRuntime | null | undefined;

/**
 * A kernels instance on a plain (non-shared) memory, for kernels that never use worker threads and copy their
 * operands in and out on every call (the FFT, tanh, reductions, TSQR blocks, and GEMMs the worker pool does
 * not split): V8 copies into and out of a shared memory element by element
 * with relaxed atomics, about 3× slower than into a plain one (1 MiB: ~230 µs against ~80 µs). Where the
 * thread's runtime is plain already, it is that one; null where WebAssembly is unavailable.
 */
export function getPlainRuntime(): KernelRuntime | null {
  if (plainRuntime !== undefined) return plainRuntime;
  const main = getRuntime();
  plainRuntime = main;
  const api = wasmApi();
  if (main?.shared && api) {
    try {
      plainRuntime = createSync(api, false);
    } catch {
      // keep the shared runtime
    }
  }
  return plainRuntime;
}

/**
 * Compile and instantiate the kernels asynchronously (needed on browser main threads, harmless
 * elsewhere). Resolves to true when the WebAssembly kernels are in use, false when the TypeScript
 * fallbacks are.
 */
export async function initKernels(): Promise<boolean> {
  if (runtime) return true;
  const api = wasmApi();
  if (!api) return false;
  for (const shared of wantShared() ? [true, false] : [false]) {
    try {
      const created = await createAsync(api, shared);
      runtime ??= created;
      return true;
    } catch {
      // next variant
    }
  }
  return runtime !== null && runtime !== undefined;
}
