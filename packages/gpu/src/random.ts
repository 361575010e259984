/**
 * Random arrays generated on the GPU by Philox4x32-10 (the generator of @sciml/linalg's `Generator`, bit for
 * bit): element i comes from word i mod 4 of block ⌊i/4⌋ + counter under the key given by the seed.
 */
import { NDArray, ValueError, getBackend, sizeOf } from '@sciml/linalg';
import { GpuBackend } from './backend/gpu-backend.js';
import type { RandomKind } from './kernels/random.js';

/** Options shared by the GPU random functions. */
export interface GpuRandomOptions {
  /** Seed (a non-negative safe integer, as for `Generator`): the 64-bit Philox key is (seed mod 2³², ⌊seed / 2³²⌋). */
  readonly seed: number;
  /** First Philox block to use (default 0): draw further blocks to continue a stream. */
  readonly counter?: number;
  /** Backend (default: the selected one, which must be a GPU backend). */
  readonly backend?: GpuBackend;
}

function resolve(op: string, options: GpuRandomOptions): GpuBackend {
  const b = options.backend ?? getBackend();
  if (!(b instanceof GpuBackend)) {
    throw new ValueError(
      op,
      `needs a webgpu backend (got '${b.name}'); pass { backend } or call useGpu() first`,
    );
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new ValueError(op, `seed must be a non-negative safe integer, got ${options.seed}`);
  }
  const c = options.counter ?? 0;
  if (!Number.isSafeInteger(c) || c < 0)
    throw new ValueError(op, `counter must be a non-negative safe integer, got ${c}`);
  return b;
}

function draw(
  op: string,
  kind: RandomKind,
  shape: readonly number[],
  options: GpuRandomOptions,
  a: number,
  b: number,
): NDArray {
  const backend = resolve(op, options);
  const handle = backend.random(kind, sizeOf(shape), options.seed, options.counter ?? 0, a, b);
  return new NDArray(handle, shape, kind === 'bits' ? 'int32' : 'float32', backend);
}

/** Float32 samples uniform in [low, high) (default [0, 1)), computed on the GPU. */
export function randomUniform(
  shape: readonly number[],
  options: GpuRandomOptions & { low?: number; high?: number },
): NDArray {
  return draw('randomUniform', 'uniform', shape, options, options.low ?? 0, options.high ?? 1);
}

/** Float32 normal samples (Box–Muller on Philox words), computed on the GPU. */
export function randomNormal(
  shape: readonly number[],
  options: GpuRandomOptions & { mean?: number; std?: number },
): NDArray {
  return draw('randomNormal', 'normal', shape, options, options.mean ?? 0, options.std ?? 1);
}

/** The raw Philox words as int32 (bit patterns of the uint32 outputs), for tests and custom transforms. */
export function randomBits(shape: readonly number[], options: GpuRandomOptions): NDArray {
  return draw('randomBits', 'bits', shape, options, 0, 0);
}
