// Runs one computation on the GPU (float32) and on the CPU (float64, same float32-rounded inputs).
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import type { GpuBackend } from '../index.js';

/** One input: float32-representable values (stored as float64) and a shape. */
export interface Input {
  readonly values: Float64Array;
  readonly shape: readonly number[];
}

/** A seed for fresh inputs each run; printed so a failure can be replayed (SCIML_TEST_SEED=...). */
export function freshSeed(): number {
  const fixed = process.env.SCIML_TEST_SEED;
  const seed = fixed ? Number(fixed) : Math.floor(Math.random() * 2 ** 31);
  return seed;
}

/** Uniform values in [low, high), rounded to float32. */
export function input(rng: Generator, shape: readonly number[], low = -1, high = 1): Input {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.fround(low + (high - low) * rng.nextFloat());
  return { values, shape };
}

/** The result of `f` on the GPU and on the CPU reference, as plain number arrays. */
export async function gpuAndReference(
  gpu: GpuBackend,
  inputs: readonly Input[],
  f: (...xs: NDArray[]) => NDArray,
): Promise<{
  got: number[];
  want: number[];
  shape: readonly number[];
  wantShape: readonly number[];
}> {
  const onGpu = inputs.map((x) =>
    fromTypedArray(Float32Array.from(x.values), x.shape, { backend: gpu }),
  );
  const onCpu = inputs.map((x) => fromTypedArray(Float64Array.from(x.values), x.shape));
  const out = f(...onGpu);
  const ref = f(...onCpu);
  const got = Array.from(await out.data());
  out.dispose();
  for (const x of onGpu) x.dispose();
  return { got, want: Array.from(ref.dataSync()), shape: out.shape, wantShape: ref.shape };
}

/** Makes a generator for a test. */
export function rngFor(seed: number): Generator {
  return new Generator(seed);
}
