/**
 * Device-level machinery shared by the primitive implementations: creating handles, recording kernels,
 * turning pending fusion DAGs into buffers. (Scopes are linalg's `scope()`, which calls `NDArray.dispose()`.)
 */
import { BackendError, type BackendInput, type DType, sizeOf } from '@sciml/linalg';
import type { Dispatch, Recorder } from '../exec/recorder.js';
import type { KernelSource, PipelineCache } from '../exec/pipelines.js';
import { compileExpr } from '../lazy/codegen.js';
import { type Expr, contiguousLoad, exprInfo, topoNodes } from '../lazy/expr.js';
import type { BufferPool, Storage } from '../memory/pool.js';
import { fillKernel } from '../kernels/structural.js';
import { Params, grid, rowsFor } from '../kernels/wgsl.js';
import { type MatmulTile, defaultTile } from '../kernels/matmul.js';
import { type ArrayState, GpuArray, releaseState } from './handle.js';

/** Fusion and debugging settings. */
export interface ContextOptions {
  /** Fuse elementwise chains and views into one kernel (default true). */
  readonly fusion: boolean;
  /** Largest fused DAG, in nodes (default 48). */
  readonly maxFusedNodes: number;
  /** Fill every kernel output with NaN before the kernel runs, so unwritten elements show (tests). */
  readonly poisonOutputs: boolean;
  /** Use subgroup operations in long sums where the device has the `subgroups` feature (default true). */
  readonly subgroups: boolean;
}

const NAN_BITS = 0x7fc00000;

/** The state every primitive implementation works with. */
export class GpuContext {
  readonly device: GPUDevice;
  readonly recorder: Recorder;
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly options: ContextOptions;
  /** Status flags written by kernels (index errors), checked at each read. */
  readonly status: GPUBuffer;
  /** Largest number of distinct buffers one fused kernel may read. */
  readonly maxFusedInputs: number;
  /** The matmul tile in use (set by the autotuner). */
  tile: MatmulTile = defaultTile(false);
  readonly #registry: FinalizationRegistry<ArrayState>;

  constructor(
    device: GPUDevice,
    recorder: Recorder,
    pool: BufferPool,
    pipelines: PipelineCache,
    options: ContextOptions,
  ) {
    this.device = device;
    this.recorder = recorder;
    this.pool = pool;
    this.pipelines = pipelines;
    this.options = options;
    // binding 0 of a kernel is its parameters and binding 1 its output
    this.maxFusedInputs = Math.min(8, device.limits.maxStorageBuffersPerShaderStage - 1);
    this.status = device.createBuffer({ size: 16, usage: 0x0080 | 0x0004 | 0x0008 });
    this.#registry = new FinalizationRegistry((state) => {
      if (releaseState(state, 'finalizer')) pool.finalizedArrays++;
    });
  }

  // --- handles ------------------------------------------------------------------------------------

  #track(h: GpuArray): GpuArray {
    this.#registry.register(h, h.state, h);
    return h;
  }

  /** A handle owning `storage` (takes over the caller's reference). */
  wrap(storage: Storage): GpuArray {
    return this.#track(new GpuArray({ storage, released: false }));
  }

  /** A handle for a size-1 value that needs no buffer yet. */
  constant(value: number, dtype: DType): GpuArray {
    return this.#track(new GpuArray({ constant: { value, dtype }, released: false }));
  }

  /** A handle for a pending DAG (takes a reference on each buffer it reads). */
  pending(expr: Expr): GpuArray {
    const leaves = [...exprInfo(expr.root).leaves];
    for (const s of leaves) s.retain();
    return this.#track(new GpuArray({ expr, leaves, released: false }));
  }

  /** Releases a handle now (`NDArray.dispose()`, which linalg's scopes also call). */
  release(h: GpuArray, by: 'dispose'): void {
    this.#registry.unregister(h);
    releaseState(h.state, by);
  }

  /** The live state of an input, or a BackendError naming how it was freed. */
  stateOf(x: BackendInput, op: string): ArrayState {
    const h = x.handle;
    if (!(h instanceof GpuArray)) {
      throw new BackendError(
        op,
        'the input is not stored on this webgpu backend; move it with toBackend() first',
      );
    }
    if (h.state.released) {
      throw new BackendError(
        op,
        `an input array was already freed (by ${h.state.releasedBy}); do not dispose an array that is still used`,
      );
    }
    return h.state;
  }

  /** Whether a DAG fits one kernel. */
  fits(expr: Expr): boolean {
    const info = exprInfo(expr.root);
    if (info.leaves.length > this.maxFusedInputs) return false;
    // the cached count is an upper bound; count exactly only when it is over the budget
    return (
      info.nodes <= this.options.maxFusedNodes ||
      topoNodes(expr.root).length <= this.options.maxFusedNodes
    );
  }

  // --- kernels ------------------------------------------------------------------------------------

  /** Records one kernel launch. */
  run(
    kernel: KernelSource,
    params: Params,
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number, number],
  ): void {
    const d: Dispatch = {
      pipeline: this.pipelines.get(kernel),
      buffers,
      params: params.words(),
      paramRows: rowsFor(params.length),
      groups,
    };
    this.recorder.dispatch(d);
  }

  /** A fresh buffer for a kernel output of `count` 32-bit elements (poisoned with NaN in debug mode). */
  output(count: number, op: string): Storage {
    const s = this.pool.acquire(count * 4, op);
    if (this.options.poisonOutputs && count > 0) {
      this.run(fillKernel(), new Params().u32(count).u32(NAN_BITS), [s.buffer], grid(count));
    }
    return s;
  }

  /**
   * The buffer holding an input's value, computing a pending DAG (or writing a constant) first. The handle
   * keeps owning it; the caller must not release it.
   */
  materialize(x: BackendInput, op: string): Storage {
    const state = this.stateOf(x, op);
    if (state.storage) return state.storage;
    const size = sizeOf(x.shape);
    if (state.constant) {
      const s = this.pool.acquire(Math.max(4, size * 4), op);
      const words = new Uint32Array(Math.max(1, size));
      const view =
        state.constant.dtype === 'float32'
          ? new Float32Array(words.buffer)
          : new Int32Array(words.buffer);
      view.fill(state.constant.value);
      this.device.queue.writeBuffer(s.buffer, 0, words);
      state.storage = s;
      state.constant = undefined;
      return s;
    }
    const expr = state.expr!;
    const k = compileExpr(expr, x.dtype);
    const out = this.output(size, op);
    this.run(k.kernel, k.params, [out.buffer, ...k.inputs.map((s) => s.buffer)], grid(size));
    for (const s of state.leaves ?? []) s.release();
    state.storage = out;
    state.expr = undefined;
    state.leaves = undefined;
    return out;
  }

  /** An input as a DAG of `x.shape` (a whole-buffer load, a pending DAG, or a constant). */
  exprOf(x: BackendInput, op: string): Expr {
    const state = this.stateOf(x, op);
    if (state.expr) return state.expr;
    if (state.constant)
      return {
        shape: x.shape,
        root: { kind: 'const', dtype: state.constant.dtype, value: state.constant.value },
      };
    return { shape: x.shape, root: contiguousLoad(state.storage!, x.dtype, x.shape) };
  }
}
