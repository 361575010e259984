/**
 * The contract every compute backend implements. This file imports no implementation (only types), so
 * backends and the registry can depend on it without import cycles.
 *
 * A backend stores array data in its own form (a typed array on the CPU, a GPUBuffer on a GPU) behind an
 * opaque handle, and executes the closed set of {@link Primitive}s. Output shapes and dtypes are computed and
 * validated by the frontend (`inferOutputs`) before `execute` is called, so a backend never re-checks shapes.
 *
 * Contract, for implementers (the GPU backend in @sciml/gpu follows it):
 * - `execute` must not mutate or free its inputs (arrays are non-consuming) and returns one fresh handle per
 *   output spec, holding exactly `sizeOf(spec.shape)` elements of `spec.dtype`, row-major.
 * - `execute` may run asynchronously (record and submit later); `download` resolves once results are final.
 * - Named routines (`cholesky`, `lu`, `qr`, `eigh`, `svd`, `triangularSolve`) may be unsupported: `supports`
 *   returns false and the frontend raises `UnsupportedRoutineError` naming the backend.
 * - `free` releases a handle deterministically; it is called once by `NDArray.dispose()`.
 */
import type { DType, TypedArray } from '../core/dtype.js';
import type { Primitive, PrimitiveParams } from '../core/primitives.js';

/** Shape and dtype of an op output, computed by the frontend before the backend runs. */
export interface OutputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** What a backend sees of an input array: its data handle plus metadata. */
export interface BackendInput {
  readonly handle: unknown;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
}

/** Device memory counters a backend with its own memory reports (the GPU's buffer pool). */
export interface DeviceMemoryStats {
  /** Buffers that hold array data now. */
  readonly liveBuffers: number;
  /** Bytes of those buffers (as allocated). */
  readonly liveBytes: number;
  /** Free buffers kept for reuse. */
  readonly pooledBuffers: number;
  /** Bytes of the free buffers. */
  readonly pooledBytes: number;
  /** Buffers created so far (a pool hit creates none). */
  readonly createdBuffers: number;
  /** Arrays garbage-collected without `dispose()` whose memory a finalizer freed. */
  readonly finalizedArrays: number;
}

/** What a counter-based random kernel writes: float32 uniforms or normals. */
export type CounterRandomKind = 'uniform' | 'normal';

/** A compute backend: storage plus the primitive ops. */
export interface Backend {
  /** Registry name, e.g. `'cpu'` or `'webgpu'`. */
  readonly name: string;
  /** Dtypes this backend can store; moving other dtypes here is a `DTypeError`. */
  readonly dtypes: readonly DType[];
  /** Stores a copy of `values` and returns its handle. */
  upload(values: TypedArray, dtype: DType): unknown;
  /** Reads back a copy of the data behind `handle`. */
  download(handle: unknown, dtype: DType, size: number): Promise<TypedArray>;
  /** Synchronous read, for backends whose data is host memory; others omit it. */
  downloadSync?(handle: unknown, dtype: DType, size: number): TypedArray;
  /** Releases the storage behind `handle`. */
  free(handle: unknown): void;
  /**
   * Optional: after `free`, when the disposed array was the last holder of storage never handed out raw,
   * the backend may reuse that storage for a later allocation (the CPU's storage pool).
   */
  recycle?(handle: unknown): void;
  /** Device memory counters, for backends that manage device memory (optional; `memoryStats()` reads it). */
  memoryStats?(): DeviceMemoryStats;
  /** Whether this backend implements primitive `p` (routines may be missing). */
  supports(p: Primitive): boolean;
  /** Runs primitive `p` on `inputs`, producing one handle per `outputs` spec. */
  execute<P extends Primitive>(
    p: P,
    inputs: readonly BackendInput[],
    params: PrimitiveParams<P>,
    outputs: readonly OutputSpec[],
  ): unknown[];
  /**
   * Tracing backends only (those of `jit`/`vmap` in @sciml/autodiff): the handle under which an array of
   * another backend, met as an operand beside this backend's arrays, enters the traced program (a captured
   * constant). Ordinary backends omit it, and mixing their arrays stays a `BackendError`.
   */
  capture?(x: BackendInput): unknown;
  /**
   * Counter-based random numbers computed where the data lives (optional; the GPU's Philox kernel): fills
   * `size` float32 elements from Philox4x32-10 blocks `counter`, `counter + 1`, … under `key`, exactly as
   * {@link counterRandomReference} does on the host, and returns the handle. `a`, `b` are low/high (uniform) or
   * mean/std (normal). Backends without it get the host reference, uploaded.
   */
  random?(
    kind: CounterRandomKind,
    size: number,
    key: readonly [number, number],
    counter: number,
    a: number,
    b: number,
  ): unknown;
  /**
   * Computes now the pending values of these arrays, for backends that defer work (optional). The GPU
   * backend fuses chains of elementwise ops lazily, and a pending value holds its inputs' buffers until
   * something reads it; a loop that keeps only the newest values (a training step's parameters and an
   * optimiser's moments) would otherwise keep earlier steps' buffers alive until a fusion limit forces them.
   * Calling it is always safe: backends that compute eagerly (the CPU) omit it, and callers skip it.
   */
  materialize?(...arrays: readonly BackendInput[]): void;
  /** Tracing backends only: their nesting depth; when operands come from several, the deepest captures the rest. */
  readonly traceDepth?: number;
}
