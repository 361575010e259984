/**
 * Device memory: reference-counted storages carved from a size-bucketed pool of GPUBuffers, with public
 * counters of live and pooled buffers and bytes so tests can prove there are no leaks.
 *
 * A buffer released while commands that may use it are still being recorded is parked until those commands
 * are submitted: queue writes (uploads) into a recycled buffer run at once on the queue timeline, so a
 * buffer must not be handed out again before every recorded use of it has been submitted.
 */
import type { DeviceMemoryStats } from '@sciml/linalg';
import { GpuOutOfMemoryError } from '../errors.js';

/** Bucket size for a request: powers of two up to 4 KiB, then quarter steps (at most 25 % slack). */
export function bucketSize(bytes: number): number {
  const n = Math.max(16, Math.ceil(bytes / 4) * 4);
  if (n <= 4096) return 2 ** Math.ceil(Math.log2(n));
  const step = 2 ** Math.floor(Math.log2(n)) / 4;
  return Math.ceil(n / step) * step;
}

/** A buffer holding one array's data, shared (by reference count) between arrays that view it. */
export class Storage {
  readonly buffer: GPUBuffer;
  /** Allocated size in bytes (the bucket size). */
  readonly bytes: number;
  #refs = 1;
  readonly #pool: BufferPool;

  constructor(pool: BufferPool, buffer: GPUBuffer, bytes: number) {
    this.#pool = pool;
    this.buffer = buffer;
    this.bytes = bytes;
  }

  /** Number of owners. */
  get refs(): number {
    return this.#refs;
  }

  /** Adds an owner. */
  retain(): this {
    if (this.#refs <= 0) throw new Error('gpu storage retained after release (internal error)');
    this.#refs++;
    return this;
  }

  /** Drops an owner; the last one returns the buffer to the pool. */
  release(): void {
    if (this.#refs <= 0) return;
    this.#refs--;
    if (this.#refs === 0) this.#pool.recycle(this);
  }
}

const USAGE_STORAGE = 0x0080;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;

/** Options of {@link BufferPool}. */
export interface PoolOptions {
  /** Free bytes kept for reuse before buffers are destroyed (default 512 MiB). */
  readonly maxPooledBytes?: number;
  /** True while commands are recorded but not yet submitted (releases are then parked). */
  readonly isRecording: () => boolean;
  /** Receives asynchronous allocation failures (reported at the next read). */
  readonly onError: (error: Error) => void;
}

/** Size-bucketed pool of storage buffers. */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<number, GPUBuffer[]>();
  #parked: Storage[] = [];
  readonly #options: PoolOptions;
  #liveBuffers = 0;
  #liveBytes = 0;
  #pooledBuffers = 0;
  #pooledBytes = 0;
  #created = 0;
  /** Counted by the backend's finalizer. */
  finalizedArrays = 0;

  constructor(device: GPUDevice, options: PoolOptions) {
    this.#device = device;
    this.#options = options;
  }

  /** A storage of at least `byteLength` bytes (contents undefined). */
  acquire(byteLength: number, op: string): Storage {
    const size = bucketSize(byteLength);
    const limit = this.#device.limits.maxStorageBufferBindingSize;
    if (size > limit) {
      throw new GpuOutOfMemoryError(
        op,
        `needs a buffer of ${byteLength} bytes but the device allows at most ${limit} per binding; split the array or use the cpu backend`,
      );
    }
    let buffer = this.#free.get(size)?.pop();
    if (buffer) {
      this.#pooledBuffers--;
      this.#pooledBytes -= size;
    } else {
      buffer = this.#create(size, op);
    }
    this.#liveBuffers++;
    this.#liveBytes += size;
    return new Storage(this, buffer, size);
  }

  #create(size: number, op: string): GPUBuffer {
    this.#device.pushErrorScope('out-of-memory');
    const buffer = this.#device.createBuffer({
      size,
      usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST,
    });
    this.#device.popErrorScope().then(
      (error) => {
        if (error) {
          this.#options.onError(
            new GpuOutOfMemoryError(
              op,
              `the device could not allocate ${size} bytes: ${error.message}; dispose arrays or use smaller batches`,
            ),
          );
        }
      },
      () => {},
    );
    this.#created++;
    return buffer;
  }

  /** Called by {@link Storage.release}: parks or pools the buffer. */
  recycle(storage: Storage): void {
    this.#liveBuffers--;
    this.#liveBytes -= storage.bytes;
    if (this.#options.isRecording()) this.#parked.push(storage);
    else this.#toFreeList(storage);
  }

  /** Called after a submit: parked buffers may be reused now. */
  afterSubmit(): void {
    const parked = this.#parked;
    this.#parked = [];
    for (const s of parked) this.#toFreeList(s);
  }

  #toFreeList(storage: Storage): void {
    const max = this.#options.maxPooledBytes ?? 512 * 1024 * 1024;
    if (this.#pooledBytes + storage.bytes > max) {
      storage.buffer.destroy();
      return;
    }
    let list = this.#free.get(storage.bytes);
    if (!list) {
      list = [];
      this.#free.set(storage.bytes, list);
    }
    list.push(storage.buffer);
    this.#pooledBuffers++;
    this.#pooledBytes += storage.bytes;
  }

  /** Destroys every free buffer (live ones stay). */
  trim(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.#pooledBuffers = 0;
    this.#pooledBytes = 0;
  }

  /** The counters. */
  stats(): DeviceMemoryStats {
    return {
      liveBuffers: this.#liveBuffers,
      liveBytes: this.#liveBytes,
      pooledBuffers: this.#pooledBuffers + this.#parked.length,
      pooledBytes: this.#pooledBytes + this.#parked.reduce((s, p) => s + p.bytes, 0),
      createdBuffers: this.#created,
      finalizedArrays: this.finalizedArrays,
    };
  }
}
