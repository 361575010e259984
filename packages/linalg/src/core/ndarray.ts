import type { Backend, BackendInput } from '../backend/backend.js';
import { type DType, type TypedArray, type TypedArrayFor, isComplex } from './dtype.js';
import { BackendError, ValueError, formatShape } from './errors.js';
import { freedByScope, trackArray, untrackArray } from '../memory/scope.js';
import { formatValues } from './format.js';
import { assertConcrete, tracingTransform } from './observers.js';
import { sizeOf, stridesOf } from './shape.js';

/** Node's `util.inspect` hook, by its registered symbol (no `node:util` import: linalg runs in browsers too). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The stored values without the traced-array check: for library internals that take discrete decisions
 * (a rank, a pivot order) from values and never let them stand in for a differentiated quantity.
 * @internal
 */
export function peekValues<D extends DType>(x: NDArray<D>): TypedArrayFor<D> {
  return readSync('dataSync', x);
}

/** The CPU storage (no copy) of `x`, or a BackendError naming `op` on a backend that reads only async. */
function readSync<D extends DType>(op: string, x: NDArray<D>): TypedArrayFor<D> {
  const read = x.backend.downloadSync;
  if (!read) {
    throw new BackendError(
      op,
      `the ${x.backend.name} backend cannot read synchronously; use 'await a.data()'`,
    );
  }
  return read.call(x.backend, x.handle, x.dtype, x.size) as TypedArrayFor<D>;
}

/** A ValueError for reading one complex element as a JS number (which has no imaginary part). */
function refuseComplexNumber(op: string, dtype: DType): void {
  if (isComplex(dtype)) {
    throw new ValueError(
      op,
      `a ${dtype} element is not one number; read real(z) and imag(z), or toNested() ([re, im] pairs)`,
    );
  }
}

/**
 * Storage that more than one holder can see, with how many undisposed NDArrays wrap it: a reshape or complex
 * view shares its input's storage (counted, so disposing the view makes the input sole again); storage handed
 * out raw (`dataSync`'s typed array, the caller's array in `fromTypedArray`) or aliased by a compiled
 * program's results counts as infinitely shared. Storage absent here has one wrapper. The count errs only
 * high (an array garbage-collected without `dispose` is never subtracted). Recorded where the sharing
 * happens — `bind` compares each result's storage with its inputs' — not on every construction: a
 * weak-collection write per array cost a third of a small op's time.
 */
const holders = new WeakMap<object, number>();

function isObject(h: unknown): h is object {
  return (typeof h === 'object' || typeof h === 'function') && h !== null;
}

/**
 * Marks the storage of `x` as seen by more than one holder — handed out raw to the caller, or wrapped by a
 * second NDArray — so buffer donation never writes into it. For code that hands out an array's storage
 * itself or wraps it again outside `bind`.
 * @public
 */
export function exposeStorage(x: NDArray): void {
  exposeHandle(x.handle);
}

/** {@link exposeStorage} for a raw handle: never recycled, whatever disposes later. */
function exposeHandle(h: unknown): void {
  if (isObject(h)) holders.set(h, Number.POSITIVE_INFINITY);
}

/** Counts one more NDArray wrapping storage `h` (the dispatcher's check for results that alias inputs). */
export function addHolder(h: unknown): void {
  if (isObject(h)) holders.set(h, (holders.get(h) ?? 1) + 1);
}

/**
 * Whether the memory of `x` may be overwritten once `x` is given up (buffer donation, JAX's
 * `donate_argnums`): `x` is live, it is the only NDArray wrapping its storage (no reshape view or alias
 * exists) and that storage was never handed out raw. Conservative: false when unsure.
 * @public
 */
export function soleOwner(x: NDArray): boolean {
  if (x.isDisposed) return false;
  const h = x.handle;
  if (!isObject(h)) return false;
  const n = holders.get(h);
  return n === undefined || n === 1;
}

/**
 * Invalidates an array given up to `op` by buffer donation: any later use throws a `BackendError` naming the
 * donation and the fix. With `free`, the backend storage is released as by `dispose()` (device memory that no
 * result of `op` shares); otherwise it is left to whoever now writes into it. For transforms that
 * implement donation (`jit`'s `donate`).
 * @public
 */
export function invalidateDonated(x: NDArray, op: string, free: boolean): void {
  donate(x, op, free);
}
/** The body of {@link invalidateDonated}, set inside the class (it reaches the private fields). */
let donate: (x: NDArray, op: string, free: boolean) => void;

/** Nested JS arrays of numbers, as produced by `toNested()` and accepted by `array()`. */
export type NestedArray = number | boolean | readonly NestedArray[];

/**
 * An n-dimensional, row-major, contiguous array stored by a backend.
 *
 * Arrays are immutable values and non-consuming: passing one to a function never frees it. CPU arrays are
 * garbage-collected, and `dispose()` (or `using`, or a closing `scope`) hands their storage to the CPU
 * storage pool for the next allocation of its size; backends with device memory free it on `dispose()`.
 *
 * @example
 * ```ts
 * const a = array([[1, 2], [3, 4]]);
 * a.shape; // [2, 2]
 * a.toNested(); // [[1, 2], [3, 4]]
 * ```
 * @public
 */
export class NDArray<D extends DType = DType> implements BackendInput {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: D;
  /** Number of elements (product of the shape; 1 for a scalar). */
  readonly size: number;
  /** The backend that stores this array. */
  readonly backend: Backend;
  #handle: unknown;
  #disposed = false;
  /** The call this array was donated to (see `invalidateDonated`), once it was. */
  #donatedTo: string | undefined;

  static {
    donate = (x, op, free) => {
      if (x.#disposed) return;
      x.#donatedTo = op;
      x.#release(free);
    };
  }

  /**
   * Wraps a backend handle. Users create arrays with `array`, `zeros`, `fromTypedArray`, ...; backends and
   * ops call this constructor.
   */
  constructor(handle: unknown, shape: readonly number[], dtype: D, backend: Backend) {
    this.#handle = handle;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.backend = backend;
    trackArray(this);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Row-major strides in elements. */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The backend's handle for this array's data; throws if the array was disposed. */
  get handle(): unknown {
    if (this.#disposed && this.#donatedTo !== undefined) {
      throw new BackendError(
        'NDArray',
        `array ${formatShape(this.shape)} ${this.dtype} was already freed (donated to ${this.#donatedTo}: its memory may now hold that call's results); pass a copy (e.g. mul(x, 1)) there instead, or leave this argument out of 'donate', to use it afterwards`,
      );
    }
    if (this.#disposed) {
      const fix = freedByScope(this)
        ? 'return it from the scope (or keep(x)) to use it afterwards'
        : 'do not use an array after disposing it';
      throw new BackendError(
        'NDArray',
        `array ${formatShape(this.shape)} ${this.dtype} was already freed (by ${freedByScope(this) ? 'scope' : 'dispose()'}); ${fix}`,
      );
    }
    return this.#handle;
  }

  /** True once `dispose()` has been called. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * The data as a typed array, synchronously. On the CPU this is the array's own storage (no copy): treat it
   * as read-only. Backends with device memory throw; use `await data()`.
   */
  dataSync(): TypedArrayFor<D> {
    assertConcrete('dataSync', this);
    const data = readSync('dataSync', this);
    // the caller holds the storage itself now: buffer donation must never write into it
    if (data === this.#handle) exposeHandle(data);
    return data;
  }

  /** A copy of the data as a typed array (async: device backends must finish pending work first). */
  async data(): Promise<TypedArrayFor<D>> {
    assertConcrete('data', this);
    const read = this.backend.downloadSync;
    if (read)
      return (
        read.call(this.backend, this.handle, this.dtype, this.size) as TypedArray
      ).slice() as TypedArrayFor<D>;
    return (await this.backend.download(this.handle, this.dtype, this.size)) as TypedArrayFor<D>;
  }

  /** The value of a size-1 array as a number. */
  item(): number {
    assertConcrete('item', this);
    if (this.size !== 1) {
      throw new ValueError(
        'item',
        `only size-1 arrays convert to a number, got shape ${formatShape(this.shape)}`,
      );
    }
    refuseComplexNumber('item', this.dtype);
    return readSync('item', this)[0]!;
  }

  /** Element at a full index (negative indices count from the end); CPU only. */
  get(...index: number[]): number {
    assertConcrete('get', this);
    refuseComplexNumber('get', this.dtype);
    if (index.length !== this.ndim) {
      throw new ValueError(
        'get',
        `expected ${this.ndim} indices for shape ${formatShape(this.shape)}, got ${index.length}`,
      );
    }
    const strides = this.strides;
    let offset = 0;
    for (let i = 0; i < index.length; i++) {
      const d = this.shape[i]!;
      const k = index[i]! < 0 ? index[i]! + d : index[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= d) {
        throw new ValueError(
          'get',
          `index ${index[i]} is out of bounds for axis ${i} with size ${d}`,
        );
      }
      offset += k * strides[i]!;
    }
    return readSync('get', this)[offset]!;
  }

  /**
   * Nested JS arrays (numbers; booleans for `bool`; `[re, im]` pairs for a complex dtype), like NumPy's
   * `tolist()`; CPU only.
   */
  toNested(): NestedArray {
    assertConcrete('toNested', this);
    const flat = readSync('toNested', this);
    if (isComplex(this.dtype)) {
      const pairs = new Float64Array(flat);
      const nested = (axis: number, offset: number): NestedArray => {
        if (axis === this.ndim) return [pairs[2 * offset]!, pairs[2 * offset + 1]!];
        const stride = this.strides[axis]!;
        return Array.from({ length: this.shape[axis]! }, (_, i) =>
          nested(axis + 1, offset + i * stride),
        );
      };
      return nested(0, 0);
    }
    const asValue = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    if (this.ndim === 0) return asValue(flat[0]!);
    const strides = this.strides;
    const build = (axis: number, offset: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]!; i++) {
        const o = offset + i * strides[axis]!;
        out.push(axis === this.ndim - 1 ? asValue(flat[o]!) : build(axis + 1, o));
      }
      return out;
    };
    return build(0, 0);
  }

  /**
   * Frees backend storage now (on the CPU: to the storage pool, unless a view or a raw `dataSync` reader can
   * still see it). Further use throws; calling it twice is harmless.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#release(true);
  }

  /** Marks the array freed and drops its claim on the storage (releasing it through the backend if `free`). */
  #release(free: boolean): void {
    this.#disposed = true;
    untrackArray(this);
    const h = this.#handle;
    // the last holder of storage never handed out raw: nothing else can see it, so it may be reused
    let last = true;
    if (isObject(h)) {
      const n = holders.get(h);
      if (n === 1) holders.delete(h);
      else if (n !== undefined) {
        last = false;
        if (n !== Number.POSITIVE_INFINITY) holders.set(h, n - 1);
      }
    }
    if (free) {
      this.backend.free(h);
      if (last) this.backend.recycle?.(h);
    }
    this.#handle = undefined;
  }

  /** Support for `using a = ...` (explicit resource management). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * NumPy-style text: `array([[1., 2.],\n       [3., 4.]], shape=(2, 2), dtype=float64, backend=cpu)`, with
   * the middle of long axes elided (`...`) above 1000 elements. Never throws: a disposed array, one on a
   * device that reads only asynchronously, or one a transform is tracing shows a placeholder instead.
   */
  toString(): string {
    const meta = `shape=${formatShape(this.shape)}, dtype=${this.dtype}, backend=${this.backend.name}`;
    let body: string;
    const tracer = this.#disposed ? undefined : tracingTransform(this);
    if (this.#disposed) body = '<disposed>';
    else if (tracer !== undefined) body = `<traced by ${tracer}>`;
    else if (!this.backend.downloadSync) body = '<on the device: await a.data() to read>';
    else body = formatValues(readSync('toString', this), this.shape, this.dtype, 'array('.length);
    return `array(${body}, ${meta})`;
  }

  /** What `console.log` and Node's `util.inspect` show: the same as `toString()`. */
  [INSPECT](): string {
    return this.toString();
  }
}
