/**
 * The WebGPU backend: implements @sciml/linalg's `Backend` contract on one device, plus what a GPU needs
 * beyond it — batching (`flush`), device memory counters (`memoryStats`), autotuning and `destroy()`. Scopes
 * are linalg's `scope()`, which disposes arrays on every backend.
 */
import {
  type Backend,
  type BackendInput,
  BackendError,
  type DType,
  DTypeError,
  type DeviceMemoryStats,
  type NDArray,
  type OutputSpec,
  type Primitive,
  type PrimitiveParams,
  type TypedArray,
  ValueError,
  getBackend,
  listBackends,
  unregisterBackend,
} from '@sciml/linalg';
import type { AcquiredDevice, AdapterInfo } from '../device/acquire.js';
import { GpuDeviceLostError, WgslCompileError } from '../errors.js';
import { type KernelSource, PipelineCache } from '../exec/pipelines.js';
import { Recorder } from '../exec/recorder.js';
import { type MatmulTile, defaultTile } from '../kernels/matmul.js';
import { type RandomKind, randomKernel } from '../kernels/random.js';
import { STATUS_GATHER_OOB, STATUS_SCATTER_OOB } from '../kernels/structural.js';
import { Params, grid, wgslType } from '../kernels/wgsl.js';
import { BufferPool } from '../memory/pool.js';
import { type ContextOptions, GpuContext } from './context.js';
import { GpuArray } from './handle.js';
import { gpuOps } from './ops.js';

/** Settings of the backend itself (see `createGpuBackend` for the adapter options). */
export interface BackendSettings extends Partial<ContextOptions> {
  /** Registry name (default `'webgpu'`). */
  readonly name?: string;
  /** Dispatches per submitted batch (default 512). */
  readonly maxDispatchesPerBatch?: number;
  /** Free bytes the pool keeps for reuse (default 512 MiB). */
  readonly maxPooledBytes?: number;
}

const ROUTINES = new Set<Primitive>(['triangularSolve', 'cholesky', 'lu', 'qr', 'eigh', 'svd']);
/** The primitives that take or make complex64 here; linalg builds every other complex op from them. */
const COMPLEX_OPS = new Set<Primitive>(['viewAsReal', 'viewAsComplex', 'fft', 'reshape']);
const MAP_READ = 0x0001;
const COPY_DST = 0x0008;

/**
 * A compute backend on one WebGPU device. Arrays are float32, int32, bool (stored as one u32 per element) or
 * complex64 (interleaved (re, im) float32 pairs, as on the CPU); float64 and complex128 are refused with a
 * `DTypeError`, as WebGPU has no float64.
 *
 * Create it with `createGpuBackend()` (or `useGpu()`, which also selects it) and call `destroy()` when done:
 * the device keeps Node's event loop alive until then.
 */
export class GpuBackend implements Backend {
  /** Registry name (default `'webgpu'`). */
  readonly name: string;
  /** Dtypes stored here: float32, int32, bool (one u32 per element) and complex64; no float64. */
  readonly dtypes: readonly DType[] = ['float32', 'int32', 'bool', 'complex64'];
  /** The adapter's description and the device's features. */
  readonly info: AdapterInfo;
  /** The WebGPU device (for interop; do not destroy it directly). */
  readonly device: GPUDevice;
  readonly #acquired: AcquiredDevice;
  readonly #ctx: GpuContext;
  readonly #errors: Error[] = [];
  #lost: { reason: string; message: string } | undefined;
  #destroyed = false;

  /** Wraps an acquired device; use `createGpuBackend()` instead. */
  constructor(acquired: AcquiredDevice, settings: BackendSettings = {}) {
    this.#acquired = acquired;
    this.device = acquired.device;
    this.info = acquired.info;
    this.name = settings.name ?? 'webgpu';
    const onError = (e: Error) => this.#errors.push(e);
    const recorder = new Recorder(this.device, {
      maxDispatches: settings.maxDispatchesPerBatch,
      onError,
    });
    const pool = new BufferPool(this.device, {
      maxPooledBytes: settings.maxPooledBytes,
      isRecording: () => recorder.isRecording,
      onError,
    });
    recorder.attachPool(pool);
    const pipelines = new PipelineCache(this.device, onError);
    this.#ctx = new GpuContext(this.device, recorder, pool, pipelines, {
      fusion: settings.fusion ?? true,
      maxFusedNodes: settings.maxFusedNodes ?? 48,
      poisonOutputs: settings.poisonOutputs ?? false,
      subgroups: (settings.subgroups ?? true) && this.device.features.has('subgroups'),
    });
    this.#ctx.tile = defaultTile(this.info.isSoftware);
    this.device.lost.then((info) => {
      this.#lost = { reason: info.reason, message: info.message };
    });
    this.device.onuncapturederror = (ev) => onError(new BackendError('webgpu', ev.error.message));
  }

  #alive(op: string): void {
    if (this.#lost) {
      throw new GpuDeviceLostError(
        op,
        `the GPU device was lost (${this.#lost.reason}${this.#lost.message ? `: ${this.#lost.message}` : ''}); ` +
          'its arrays are gone: create a new backend with createGpuBackend() and recompute them',
        this.#lost.reason,
      );
    }
    if (this.#destroyed) {
      throw new GpuDeviceLostError(
        op,
        'the backend was destroyed; create a new one with createGpuBackend()',
        'destroyed',
      );
    }
  }

  /** Throws the first error the device reported since the last check (and forgets the rest). */
  #throwPending(): void {
    // a kernel that failed to compile also invalidates its submit: report the cause, not the symptom
    const e = this.#errors.find((x) => x instanceof WgslCompileError) ?? this.#errors[0];
    this.#errors.length = 0;
    if (e) throw e;
  }

  // --- Backend contract ---------------------------------------------------------------------------

  /** Copies `values` to the device (a size-1 array stays a kernel parameter until a kernel needs a buffer). */
  upload(values: TypedArray, dtype: DType): unknown {
    this.#alive('upload');
    if (dtype !== 'complex64') wgslType(dtype, 'upload');
    if (values.length === 1 && dtype !== 'complex64')
      return this.#ctx.constant(Number(values[0]), dtype);
    const s = this.#ctx.pool.acquire(Math.max(4, values.length * 4), 'upload');
    if (values.length > 0) {
      const words = dtype === 'bool' ? Uint32Array.from(values as Uint8Array) : values;
      this.device.queue.writeBuffer(s.buffer, 0, words.buffer, words.byteOffset, values.length * 4);
    }
    return this.#ctx.wrap(s);
  }

  /** Computes the value if pending, submits the batch and reads the data back (throws device errors seen so far). */
  async download(handle: unknown, dtype: DType, size: number): Promise<TypedArray> {
    this.#alive('download');
    const shape = [size];
    const storage = this.#ctx.materialize({ handle, shape, dtype, size }, 'download');
    // a complex64 element is two float32 words
    const words = dtype === 'complex64' ? 2 * size : size;
    const bytes = words * 4;
    const staging = this.device.createBuffer({ size: bytes + 16, usage: MAP_READ | COPY_DST });
    storage.retain();
    this.#ctx.recorder.copy(storage.buffer, 0, staging, 0, bytes);
    this.#ctx.recorder.copy(this.#ctx.status, 0, staging, bytes, 16);
    this.#ctx.recorder.flush();
    storage.release();
    try {
      await staging.mapAsync(0x0001);
    } catch (error) {
      staging.destroy();
      this.#alive('download');
      this.#throwPending();
      throw new BackendError(
        'download',
        `reading the result failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const raw = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    await this.#ctx.pipelines.settled();
    this.#throwPending();
    const status = new Uint32Array(raw, bytes, 4)[0]!;
    if (status !== 0) {
      this.device.queue.writeBuffer(this.#ctx.status, 0, new Uint32Array(4));
      const op =
        status & STATUS_GATHER_OOB
          ? 'gather'
          : status & STATUS_SCATTER_OOB
            ? 'scatterAdd'
            : 'webgpu';
      throw new ValueError(
        op,
        'an index was out of bounds (detected on the GPU, so reported at this read; the op ran earlier); check the indices against the axis size',
      );
    }
    if (dtype === 'float32' || dtype === 'complex64') return new Float32Array(raw, 0, words);
    if (dtype === 'int32') return new Int32Array(raw, 0, size);
    return Uint8Array.from(new Uint32Array(raw, 0, size));
  }

  /** Releases a handle's device memory (called by `NDArray.dispose()`). */
  free(handle: unknown): void {
    if (handle instanceof GpuArray) this.#ctx.release(handle, 'dispose');
  }

  /** Every primitive except the matrix routines, which run on the CPU. */
  supports(p: Primitive): boolean {
    return !ROUTINES.has(p);
  }

  /** Records primitive `p` (elementwise ops and views are fused lazily; see the README). */
  execute<P extends Primitive>(
    p: P,
    inputs: readonly BackendInput[],
    params: PrimitiveParams<P>,
    outputs: readonly OutputSpec[],
  ): unknown[] {
    this.#alive(p);
    for (const a of [...outputs, ...inputs]) {
      if (a.dtype !== 'complex64') wgslType(a.dtype, p);
      else if (!COMPLEX_OPS.has(p)) {
        throw new DTypeError(
          p,
          `the webgpu backend runs '${p}' on real arrays only; @sciml/linalg's complex ops (add, mul, exp, sum, matmul, fft, …) work on complex64 here, or take viewAsReal(z) and apply '${p}' to the (re, im) pairs`,
        );
      }
    }
    return (
      gpuOps[p] as (
        c: GpuContext,
        i: typeof inputs,
        pr: typeof params,
        o: typeof outputs,
      ) => GpuArray[]
    )(this.#ctx, inputs, params, outputs);
  }

  // --- beyond the contract ------------------------------------------------------------------------

  /**
   * Live and pooled buffers and bytes, and how many arrays the finalizer had to free (the `Backend` hook that
   * linalg's `memoryStats()` reports as `device`).
   */
  memoryStats(): DeviceMemoryStats {
    return this.#ctx.pool.stats();
  }

  /** Kernels compiled, batches submitted and dispatches recorded so far. */
  stats(): { compiledKernels: number; submits: number; dispatches: number } {
    return {
      compiledKernels: this.#ctx.pipelines.compiled,
      submits: this.#ctx.recorder.submits,
      dispatches: this.#ctx.recorder.totalDispatches,
    };
  }

  /** Computes pending (fused) values of these arrays now, so their inputs can be released (`Backend.materialize`). */
  materialize(...arrays: readonly BackendInput[]): void {
    for (const a of arrays) this.#ctx.materialize(a, 'materialize');
  }

  /** Submits recorded work without waiting for it. */
  flush(): void {
    this.#alive('flush');
    this.#ctx.recorder.flush();
  }

  /** Submits recorded work and waits until the GPU has finished it; throws errors the device reported. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.#ctx.pipelines.settled();
    this.#alive('sync');
    this.#throwPending();
  }

  /**
   * Records a Philox4x32-10 kernel filling `size` elements from blocks `counter`, … under the 64-bit `key`
   * (the backend hook behind `Generator.deviceUniform`/`deviceNormal`, and `randomUniform`); returns the handle.
   * `a`, `b` are low/high (uniform) or mean/std (normal).
   */
  random(
    kind: RandomKind,
    size: number,
    key: readonly [number, number],
    counter: number,
    a: number,
    b: number,
  ): unknown {
    this.#alive('random');
    const out = this.#ctx.output(size, 'random');
    const p = new Params()
      .u32(size)
      .u32(counter >>> 0)
      .u32(Math.floor(counter / 4294967296) >>> 0)
      .u32(key[0] >>> 0)
      .u32(key[1] >>> 0)
      .f32(a)
      .f32(b);
    this.#ctx.run(randomKernel(kind), p, [out.buffer], grid(Math.ceil(size / 4)));
    return this.#ctx.wrap(out);
  }

  /**
   * Records a custom kernel outside the primitive set (not differentiated by autodiff): `words` fill the
   * parameter block, a fresh output of `outCount` float32 elements is bound first, then the inputs'
   * buffers; `threads` (default `outCount`) threads run. Returns the output handle.
   */
  runKernel(
    kernel: KernelSource,
    words: readonly number[],
    inputs: readonly NDArray[],
    outCount: number,
    threads = outCount,
  ): unknown {
    this.#alive(kernel.name);
    const buffers = inputs.map((x) => this.#ctx.materialize(x, kernel.name).buffer);
    const out = this.#ctx.output(outCount, kernel.name);
    const params = new Params();
    for (const w of words) params.u32(w);
    this.#ctx.run(kernel, params, [out.buffer, ...buffers], grid(threads));
    return this.#ctx.wrap(out);
  }

  /** The matmul tile shape in use. */
  get matmulTile(): MatmulTile {
    return this.#ctx.tile;
  }

  /** Sets the matmul tile shape (the autotuner calls this); no argument restores the adapter's default. */
  setMatmulTile(tile: MatmulTile = defaultTile(this.info.isSoftware)): void {
    this.#ctx.tile = tile;
  }

  /** True once `destroy()` ran or the device was lost. */
  get isDestroyed(): boolean {
    return this.#destroyed || this.#lost !== undefined;
  }

  /**
   * Releases the device, so Node can exit. Arrays on this backend become unusable; the backend is
   * unregistered (the cpu backend is selected if it was).
   */
  destroy(): void {
    if (this.#destroyed) return;
    if (!this.#lost) this.#ctx.recorder.flush();
    this.#destroyed = true;
    this.#ctx.pool.trim();
    this.#ctx.status.destroy();
    if (listBackends().includes(this.name) && getBackend(this.name) === this)
      unregisterBackend(this.name);
    this.device.destroy();
  }

  /** `using gpu = await createGpuBackend()` destroys it at the end of the block. */
  [Symbol.dispose](): void {
    this.destroy();
  }

  /** The acquisition record (adapter and GPU object), for the autotuner and diagnostics. */
  get acquired(): AcquiredDevice {
    return this.#acquired;
  }
}
