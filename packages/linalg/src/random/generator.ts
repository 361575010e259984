import type { Backend, CounterRandomKind } from '../backend/backend.js';
import { resolveBackend } from '../backend/registry.js';
import { type FloatDType, allocTyped } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { NDArray } from '../core/ndarray.js';
import { checkShape, sizeOf } from '../core/shape.js';
import { defaultFloatDType, fromTypedArray } from '../ops/creation.js';
import { counterRandomHandle } from './counter.js';
import { philox4x32 } from './philox.js';

/**
 * Where and how a generator method stores its samples. The default dtype is the backend's default float
 * (`float64` on the CPU, `float32` on a GPU). Samples are drawn on the host and copied to the backend, so a
 * seed gives the same numbers on every backend (up to the dtype's rounding).
 * @public
 */
export interface RandomArrayOptions<D extends FloatDType = FloatDType> {
  /** Element type (default: the backend's default float). */
  dtype?: D;
  /** Backend to store the samples on (default: the selected backend). */
  backend?: Backend | string;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * A seedable random number generator: Philox4x32-10 keyed by the seed, walking its counter. The same seed
 * gives the same sequence on every platform. `split()` derives independent child generators (as in JAX),
 * so parallel or nested code never shares a stream by accident. Never uses `Math.random`.
 *
 * @example
 * ```ts
 * const rng = new Generator(42);
 * const x = rng.normal([3, 2]);
 * ```
 */
export class Generator {
  readonly #key0: number;
  readonly #key1: number;
  #counter = 0;
  #buffer = new Uint32Array(4);
  #available = 0;
  #spareNormal: number | undefined;

  /** Creates a generator from an integer seed (up to 2^53) or an explicit 64-bit key `[lo, hi]`. */
  constructor(seed: number | readonly [number, number] = 0) {
    if (typeof seed === 'number') {
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new ValueError('Generator', `seed must be a non-negative safe integer, got ${seed}`);
      }
      this.#key0 = seed >>> 0;
      this.#key1 = Math.floor(seed / TWO_POW_32) >>> 0;
    } else {
      this.#key0 = seed[0] >>> 0;
      this.#key1 = seed[1] >>> 0;
    }
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    if (this.#available === 0) {
      const c = this.#counter++;
      philox4x32(
        c >>> 0,
        Math.floor(c / TWO_POW_32) >>> 0,
        0,
        0,
        this.#key0,
        this.#key1,
        this.#buffer,
      );
      this.#available = 4;
    }
    return this.#buffer[4 - this.#available--]!;
  }

  /** Next double uniformly distributed in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Next standard normal sample (Box–Muller transform; the second value of each pair is kept for the next call). */
  nextNormal(): number {
    if (this.#spareNormal !== undefined) {
      const v = this.#spareNormal;
      this.#spareNormal = undefined;
      return v;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.#spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [low, high) without modulo bias. */
  nextInt(low: number, high: number): number {
    const span = high - low;
    if (
      !Number.isSafeInteger(low) ||
      !Number.isSafeInteger(high) ||
      span <= 0 ||
      span > TWO_POW_32
    ) {
      throw new ValueError(
        'Generator.nextInt',
        `needs integers low < high with high − low ≤ 2^32, got [${low}, ${high})`,
      );
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % span);
    let v = this.nextUint32();
    while (v >= limit) v = this.nextUint32();
    return low + (v % span);
  }

  /**
   * Reserves `blocks` consecutive Philox blocks of this stream for a counter-based draw (a device kernel):
   * returns the key and the first block's counter, and moves this generator past them, so the reserved
   * blocks are never drawn again by this generator.
   */
  reserveBlocks(blocks: number): { key: readonly [number, number]; counter: number } {
    if (!Number.isSafeInteger(blocks) || blocks < 0)
      throw new ValueError(
        'Generator.reserveBlocks',
        `blocks must be an integer ≥ 0, got ${blocks}`,
      );
    const counter = this.#counter;
    this.#counter += blocks;
    return { key: [this.#key0, this.#key1], counter };
  }

  /**
   * Float32 samples uniform in [low, high), computed where the array lives (the GPU's Philox kernel, or the
   * host reference on the CPU) from blocks this generator reserves: the same seed gives the same bits on
   * every backend, and nothing is uploaded. Each element is u = (w >> 8)·2⁻²⁴ of one Philox word.
   */
  deviceUniform(
    shape: readonly number[],
    options: { backend?: Backend | string; low?: number; high?: number } = {},
  ): NDArray<'float32'> {
    return this.#counterDraw(
      'deviceUniform',
      'uniform',
      shape,
      options.backend,
      options.low ?? 0,
      options.high ?? 1,
    );
  }

  /**
   * Float32 normal samples computed where the array lives, like {@link Generator.deviceUniform} (Box–Muller on
   * pairs of Philox words; backends agree to float32 rounding of log/sin/cos).
   */
  deviceNormal(
    shape: readonly number[],
    options: { backend?: Backend | string; mean?: number; std?: number } = {},
  ): NDArray<'float32'> {
    return this.#counterDraw(
      'deviceNormal',
      'normal',
      shape,
      options.backend,
      options.mean ?? 0,
      options.std ?? 1,
    );
  }

  #counterDraw(
    op: string,
    kind: CounterRandomKind,
    shape: readonly number[],
    where: Backend | string | undefined,
    a: number,
    b: number,
  ): NDArray<'float32'> {
    const s = checkShape(`Generator.${op}`, shape);
    if (!Number.isFinite(a) || !Number.isFinite(b))
      throw new ValueError(
        `Generator.${op}`,
        `the distribution's parameters must be finite, got ${a}, ${b}`,
      );
    const backend = resolveBackend(where);
    const size = sizeOf(s);
    const { key, counter } = this.reserveBlocks(Math.ceil(size / 4));
    const handle = counterRandomHandle(backend, kind, size, key, counter, a, b);
    return new NDArray(handle, s, 'float32', backend) as NDArray<'float32'>;
  }

  /** A new generator whose stream is independent of this one's (keyed by fresh bits of this stream). */
  split(): Generator {
    return new Generator([this.nextUint32(), this.nextUint32()]);
  }

  /** Array of samples uniform in [low, high). */
  uniform<D extends FloatDType = FloatDType>(
    shape: readonly number[],
    options: RandomArrayOptions<D> & { low?: number; high?: number } = {},
  ): NDArray<D> {
    const low = options.low ?? 0;
    const high = options.high ?? 1;
    return this.#fill(shape, options, () => low + (high - low) * this.nextFloat());
  }

  /** Array of normal samples with the given mean and standard deviation. */
  normal<D extends FloatDType = FloatDType>(
    shape: readonly number[],
    options: RandomArrayOptions<D> & { mean?: number; std?: number } = {},
  ): NDArray<D> {
    const mean = options.mean ?? 0;
    const std = options.std ?? 1;
    return this.#fill(shape, options, () => mean + std * this.nextNormal());
  }

  /** Array of int32 samples uniform in [low, high). */
  integers(
    low: number,
    high: number,
    shape: readonly number[],
    options: { backend?: Backend | string } = {},
  ): NDArray<'int32'> {
    const s = checkShape('Generator.integers', shape);
    const data = new Int32Array(sizeOf(s));
    for (let i = 0; i < data.length; i++) data[i] = this.nextInt(low, high);
    return fromTypedArray(data, s, options) as NDArray<'int32'>;
  }

  /** A random permutation of 0..n−1 (Fisher–Yates), as a plain array. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(0, i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }

  #fill<D extends FloatDType>(
    shape: readonly number[],
    options: RandomArrayOptions<D>,
    draw: () => number,
  ): NDArray<D> {
    const s = checkShape('Generator', shape);
    const dtype = options.dtype ?? defaultFloatDType(options.backend);
    const data = allocTyped(dtype, sizeOf(s));
    for (let i = 0; i < data.length; i++) data[i] = draw();
    return fromTypedArray(data, s, { backend: options.backend }) as NDArray<D>;
  }
}

/**
 * Samples uniform in [low, high) drawn from `options.rng` (the convention of every stochastic function: the
 * generator is the `rng` option), like `rng.uniform(shape, options)`.
 * @example
 * ```ts
 * const u = uniform([3], { rng: new Generator(1), low: -1, high: 1 });
 * ```
 */
export function uniform<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: RandomArrayOptions<D> & { rng: Generator; low?: number; high?: number },
): NDArray<D> {
  return requireRng('uniform', options).uniform(shape, options);
}

/** Normal samples drawn from `options.rng`, like `rng.normal(shape, options)`. */
export function normal<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: RandomArrayOptions<D> & { rng: Generator; mean?: number; std?: number },
): NDArray<D> {
  return requireRng('normal', options).normal(shape, options);
}

function requireRng(op: string, options: { rng?: unknown }): Generator {
  if (!(options?.rng instanceof Generator)) {
    throw new ValueError(
      op,
      `needs { rng: new Generator(seed) } in its options (randomness is always explicit), got ${String(options?.rng)}`,
    );
  }
  return options.rng;
}
