/**
 * Records kernel dispatches into one command encoder and submits them in batches: nothing waits on the GPU
 * until a value is read. Each dispatch's parameters (shapes, strides, scalars) are written into a uniform
 * arena mapped at creation, so recording costs no queue writes; the arena is unmapped at submit.
 *
 * A batch is submitted when a value is read, when `flush()` is called, when the arena or the dispatch
 * budget is full, or at the end of the current JavaScript task (a microtask), so the GPU starts early.
 */
import { GpuValidationError } from '../errors.js';
import type { BufferPool } from '../memory/pool.js';

/** One kernel launch. */
export interface Dispatch {
  readonly pipeline: GPUComputePipeline;
  /** Bound at bindings 1, 2, ... (binding 0 is the parameter block). */
  readonly buffers: readonly GPUBuffer[];
  /** Parameter words (u32; floats and i32 as bit patterns). */
  readonly params: Uint32Array;
  /** Size of the kernel's parameter block in 16-byte rows. */
  readonly paramRows: number;
  readonly groups: readonly [number, number, number];
}

const ARENA_BYTES = 64 * 1024;
const USAGE_UNIFORM = 0x0040;

/** Options of {@link Recorder}. */
export interface RecorderOptions {
  /** Dispatches per batch before a submit (default 512). */
  readonly maxDispatches?: number;
  /** Receives asynchronous device errors (reported at the next read). */
  readonly onError: (error: Error) => void;
}

/** The batching command recorder of one device. */
export class Recorder {
  readonly #device: GPUDevice;
  readonly #options: RecorderOptions;
  #pool: BufferPool | undefined;
  #encoder: GPUCommandEncoder | undefined;
  #pass: GPUComputePassEncoder | undefined;
  #arena: GPUBuffer | undefined;
  #arenaWords: Uint32Array | undefined;
  #arenaOffset = 0;
  #dispatches = 0;
  #scheduled = false;
  readonly #align: number;
  /** Total submits so far. */
  submits = 0;
  /** Total dispatches so far. */
  totalDispatches = 0;

  constructor(device: GPUDevice, options: RecorderOptions) {
    this.#device = device;
    this.#options = options;
    this.#align = Math.max(16, device.limits.minUniformBufferOffsetAlignment);
  }

  /** Connects the pool (parked buffers are released after each submit). */
  attachPool(pool: BufferPool): void {
    this.#pool = pool;
  }

  /** True while commands are recorded but not yet submitted. */
  get isRecording(): boolean {
    return this.#encoder !== undefined;
  }

  #begin(): GPUCommandEncoder {
    if (this.#encoder) return this.#encoder;
    // Errors of this batch (validation) are collected by a scope popped at submit.
    this.#device.pushErrorScope('validation');
    this.#encoder = this.#device.createCommandEncoder();
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
    return this.#encoder;
  }

  #computePass(): GPUComputePassEncoder {
    if (!this.#pass) this.#pass = this.#begin().beginComputePass();
    return this.#pass;
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = undefined;
  }

  #paramSlot(
    words: Uint32Array,
    rows: number,
  ): { buffer: GPUBuffer; offset: number; size: number } {
    const size = Math.max(16, rows * 16);
    if (!this.#arena || this.#arenaOffset + size > ARENA_BYTES) {
      if (this.#arena) this.flush();
      this.#begin();
      this.#arena = this.#device.createBuffer({
        size: ARENA_BYTES,
        usage: USAGE_UNIFORM,
        mappedAtCreation: true,
      });
      this.#arenaWords = new Uint32Array(this.#arena.getMappedRange());
      this.#arenaOffset = 0;
    }
    const offset = this.#arenaOffset;
    this.#arenaWords!.set(words, offset / 4);
    this.#arenaOffset = Math.ceil((offset + size) / this.#align) * this.#align;
    return { buffer: this.#arena, offset, size };
  }

  /** Records one kernel launch. */
  dispatch(d: Dispatch): void {
    if (d.groups[0] * d.groups[1] * d.groups[2] === 0) return;
    if (d.params.length > d.paramRows * 4)
      throw new Error(`kernel parameters overflow (${d.params.length} words)`);
    const slot = this.#paramSlot(d.params, d.paramRows);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: slot }];
    for (let i = 0; i < d.buffers.length; i++)
      entries.push({ binding: i + 1, resource: { buffer: d.buffers[i]! } });
    const bindGroup = this.#device.createBindGroup({
      layout: d.pipeline.getBindGroupLayout(0),
      entries,
    });
    const pass = this.#computePass();
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(d.groups[0], d.groups[1], d.groups[2]);
    this.#dispatches++;
    this.totalDispatches++;
    if (this.#dispatches >= (this.#options.maxDispatches ?? 512)) this.flush();
  }

  /** Records a zero fill of `size` bytes at `offset`. */
  clear(buffer: GPUBuffer, offset: number, size: number): void {
    if (size === 0) return;
    this.#endPass();
    this.#begin().clearBuffer(buffer, offset, size);
  }

  /** Records a buffer-to-buffer copy. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size === 0) return;
    this.#endPass();
    this.#begin().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
  }

  /** Submits everything recorded so far (no-op when nothing is). */
  flush(): void {
    const encoder = this.#encoder;
    if (!encoder) return;
    this.#endPass();
    if (this.#arena) {
      this.#arena.unmap();
    }
    const arena = this.#arena;
    this.#arena = undefined;
    this.#arenaWords = undefined;
    this.#encoder = undefined;
    this.#dispatches = 0;
    this.#device.queue.submit([encoder.finish()]);
    // The arena's memory is freed once the GPU is done with it (destroy defers to completed work).
    arena?.destroy();
    this.submits++;
    this.#device.popErrorScope().then(
      (error) => {
        if (error) this.#options.onError(new GpuValidationError('submit', error.message));
      },
      () => {},
    );
    this.#pool?.afterSubmit();
  }
}
