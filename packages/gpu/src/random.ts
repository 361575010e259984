/**
 * Random arrays generated on the GPU by Philox4x32-10 (the generator of @sciml/linalg's `Generator`, bit for
 * bit): element i comes from word i mod 4 of block ⌊i/4⌋ + counter under the generator's key. The draws
 * come from `options.rng` (the convention of every stochastic function), which reserves the blocks it hands
 * out, so successive calls never repeat numbers; `Generator.deviceUniform` / `deviceNormal` give the same
 * bits on any backend.
 */
import { Generator, NDArray, ValueError, getBackend, sizeOf } from '@sciml/linalg';
import { GpuBackend } from './backend/gpu-backend.js';
import type { RandomKind } from './kernels/random.js';

/** Options shared by the GPU random functions. */
export interface GpuRandomOptions {
  /** The generator the Philox blocks come from (`new Generator(seed)`); each call moves it past them. */
  readonly rng?: Generator;
  /**
   * @deprecated Pass `{ rng: new Generator(seed) }`. A fixed seed (a non-negative safe integer) keys the
   * stream (key = (seed mod 2³², ⌊seed / 2³²⌋)); used only without `rng`.
   */
  readonly seed?: number;
  /** @deprecated Pass `rng`, which advances itself. First Philox block to use with `seed` (default 0). */
  readonly counter?: number;
  /** Backend (default: the selected one, which must be a GPU backend). */
  readonly backend?: GpuBackend;
}

function resolve(
  op: string,
  options: GpuRandomOptions,
  blocks: number,
): { backend: GpuBackend; key: [number, number]; counter: number } {
  const b = options?.backend ?? getBackend();
  if (!(b instanceof GpuBackend)) {
    throw new ValueError(
      op,
      `needs a webgpu backend (got '${b.name}'); pass { backend } or call useGpu() first`,
    );
  }
  if (options.rng !== undefined) {
    if (!(options.rng instanceof Generator))
      throw new ValueError(
        op,
        `rng must be a Generator (new Generator(seed)), got ${String(options.rng)}`,
      );
    const { key, counter } = options.rng.reserveBlocks(blocks);
    return { backend: b, key: [key[0], key[1]], counter };
  }
  const seed = options.seed;
  if (seed === undefined)
    throw new ValueError(
      op,
      'needs { rng: new Generator(seed) } in its options (randomness is always explicit)',
    );
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ValueError(op, `seed must be a non-negative safe integer, got ${seed}`);
  }
  const c = options.counter ?? 0;
  if (!Number.isSafeInteger(c) || c < 0)
    throw new ValueError(op, `counter must be a non-negative safe integer, got ${c}`);
  return { backend: b, key: [seed >>> 0, Math.floor(seed / 4294967296) >>> 0], counter: c };
}

function draw(
  op: string,
  kind: RandomKind,
  shape: readonly number[],
  options: GpuRandomOptions,
  a: number,
  b: number,
): NDArray {
  const size = sizeOf(shape);
  const { backend, key, counter } = resolve(op, options ?? {}, Math.ceil(size / 4));
  const handle = backend.random(kind, size, key, counter, a, b);
  return new NDArray(handle, shape, kind === 'bits' ? 'int32' : 'float32', backend);
}

/** Float32 samples uniform in [low, high) (default [0, 1)) drawn from `options.rng`, computed on the GPU. */
export function randomUniform(
  shape: readonly number[],
  options: GpuRandomOptions & { low?: number; high?: number },
): NDArray {
  return draw('randomUniform', 'uniform', shape, options, options?.low ?? 0, options?.high ?? 1);
}

/** Float32 normal samples (Box–Muller on Philox words) drawn from `options.rng`, computed on the GPU. */
export function randomNormal(
  shape: readonly number[],
  options: GpuRandomOptions & { mean?: number; std?: number },
): NDArray {
  return draw('randomNormal', 'normal', shape, options, options?.mean ?? 0, options?.std ?? 1);
}

/** The raw Philox words from `options.rng` as int32 (bit patterns of the uint32 outputs), for tests and custom transforms. */
export function randomBits(shape: readonly number[], options: GpuRandomOptions): NDArray {
  return draw('randomBits', 'bits', shape, options, 0, 0);
}
