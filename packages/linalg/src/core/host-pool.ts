/**
 * The CPU storage pool: typed arrays of disposed NDArrays, kept for the next allocation of the same type and
 * length (JAX's and PyTorch's caching allocators, for host memory).
 *
 * Why: a fresh large typed array is not free on the CPU. V8 backs it with newly mapped, zeroed pages, and
 * the first write to each 4 KiB page faults (~10 µs each on a VM): writing 100 MB of fresh per-example
 * gradients cost 3–4× the arithmetic that produced them. Smaller arrays come from the C heap, but every one
 * counts towards V8's external-memory pressure and brings the next collection closer. Reusing the storage
 * of an array the caller has given up (`dispose()`, or a closing `scope`) avoids both.
 *
 * Only storage that nothing else can see is taken: the NDArray was its last holder (no reshape view or
 * other alias left), its storage was never handed out raw (`dataSync`, `fromTypedArray`, `exposeStorage`),
 * and the typed array owns its whole, non-shared `ArrayBuffer` (not a view into WebAssembly memory or into
 * a larger buffer). A reused array is zero-filled, like a new one. The pool is bounded
 * ({@link setHostPoolLimit}); when full, the oldest entries go first.
 */
import type { TypedArray } from './dtype.js';
import { ValueError } from './errors.js';

/**
 * Arrays smaller than this are left to the JS heap: V8 keeps typed arrays up to 64 bytes inside the heap,
 * where allocating one is cheaper than a pool lookup; larger ones get a separately allocated backing store.
 */
const MIN_BYTES = 65;
const DEFAULT_LIMIT = 256 * 1024 * 1024;

type Ctor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor;
const CTOR_IDS = new Map<unknown, number>([
  [Float64Array, 0],
  [Float32Array, 1],
  [Int32Array, 2],
  [Uint8Array, 3],
]);

/** Free arrays by (constructor, length), each list oldest first; Map order is the eviction order. */
const free = new Map<number, TypedArray[]>();
let limitBytes = DEFAULT_LIMIT;
let pooledBytes = 0;
let pooledArrays = 0;
let hits = 0;
let recycled = 0;
/**
 * `SCIML_POOL_POISON=1` (Node) fills recycled storage with NaN (0x5a for integer arrays) before it is reused
 * by `allocEmpty`: for test runs that check every kernel writes all of its output.
 */
const poison =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.SCIML_POOL_POISON === '1';

/** A number key for (constructor, length): lengths stay far below 2⁴⁰. */
const keyOf = (ctorId: number, length: number): number => ctorId * 2 ** 40 + length;

/**
 * An array of `length` elements of `ctor` from the pool — zero-filled, or with a disposed array's stale
 * values when `zero` is false — or undefined when it holds none (the caller allocates a new one). For
 * `allocTyped` and `allocEmpty`.
 */
export function takePooled(ctor: Ctor, length: number, zero = true): TypedArray | undefined {
  if (pooledArrays === 0 || length * ctor.BYTES_PER_ELEMENT < MIN_BYTES) return undefined;
  const key = keyOf(CTOR_IDS.get(ctor)!, length);
  const list = free.get(key);
  const a = list?.pop();
  if (a === undefined) return undefined;
  if (list!.length === 0) free.delete(key);
  pooledBytes -= a.byteLength;
  pooledArrays--;
  hits++;
  return zero ? a.fill(0) : a;
}

/** Whether `a` owns its whole, unshared buffer (so handing it to a new array cannot alias anything). */
function ownsBuffer(a: TypedArray): boolean {
  const buf = a.buffer;
  return (
    a.byteOffset === 0 &&
    buf.byteLength === a.byteLength &&
    !(typeof SharedArrayBuffer !== 'undefined' && buf instanceof SharedArrayBuffer)
  );
}

/**
 * Gives storage that nothing references any more to the CPU storage pool, for the next allocation of its type
 * and length: the CPU backend's `recycle` (the last NDArray holding storage never handed out raw was
 * disposed), and `jit`'s buffer plan (a dead intermediate it cannot keep). The caller guarantees that no live
 * array and no other code reads or writes `handle` afterwards. Anything that is not a typed array owning its
 * whole, unshared buffer (a view into WebAssembly memory or a larger buffer) is ignored.
 * @public
 */
export function recycleStorage(handle: unknown): void {
  if (!ArrayBuffer.isView(handle) || limitBytes === 0) return;
  const a = handle as TypedArray;
  const id = CTOR_IDS.get(a.constructor);
  if (id === undefined || a.byteLength < MIN_BYTES || a.byteLength > limitBytes) return;
  if (!ownsBuffer(a)) return;
  // diagnostics: poisoned storage makes a kernel that reads its output before writing all of it visible
  if (poison) a.fill(a instanceof Float64Array || a instanceof Float32Array ? Number.NaN : 0x5a);
  const key = keyOf(id, a.length);
  let list = free.get(key);
  if (list === undefined) {
    list = [];
    free.set(key, list);
  }
  list.push(a);
  pooledBytes += a.byteLength;
  pooledArrays++;
  recycled++;
  evictDownTo(limitBytes);
}

/** Drops the oldest entries until the pool holds at most `bytes`. */
function evictDownTo(bytes: number): void {
  for (const [key, list] of free) {
    if (pooledBytes <= bytes) return;
    while (list.length > 0 && pooledBytes > bytes) {
      const a = list.shift()!;
      pooledBytes -= a.byteLength;
      pooledArrays--;
    }
    if (list.length === 0) free.delete(key);
  }
}

/**
 * Sets how many bytes of disposed CPU arrays the storage pool may keep for reuse (default 256 MiB); 0 turns
 * the pool off and empties it. Lowering the limit evicts the oldest entries at once.
 * @example
 * ```ts
 * setHostPoolLimit(0); // every allocation gets new memory, as before the pool existed
 * ```
 * @public
 */
export function setHostPoolLimit(bytes: number): void {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) {
    throw new ValueError(
      'setHostPoolLimit',
      `expected a finite number of bytes >= 0 (0 turns the pool off), got ${bytes}`,
    );
  }
  limitBytes = bytes;
  evictDownTo(bytes);
}

/** What the CPU storage pool holds and has done. @public */
export interface HostPoolStats {
  /** Free arrays kept for reuse. */
  readonly pooledArrays: number;
  /** Bytes of those arrays. */
  readonly pooledBytes: number;
  /** The most bytes the pool keeps ({@link setHostPoolLimit}). */
  readonly limitBytes: number;
  /** Allocations served from the pool since the process started. */
  readonly hits: number;
  /** Arrays given to the pool since the process started. */
  readonly recycled: number;
}

/**
 * What the CPU storage pool holds: disposed arrays kept for reuse, its limit, and how often it served an
 * allocation. Tests and benchmarks read it to see whether a loop reuses memory.
 * @public
 */
export function hostPoolStats(): HostPoolStats {
  return { pooledArrays, pooledBytes, limitBytes, hits, recycled };
}
