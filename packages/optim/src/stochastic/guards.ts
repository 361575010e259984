/**
 * Input checks of the first-order optimisers, following the non-finite-input policy of @sciml (see linalg's
 * `assertFinite`): hyper-parameters are validated when the optimiser is built (a `ValueError` naming the
 * optimiser, the parameter and its allowed range), and a gradient holding NaN or ±Infinity is handled by
 * the `nonFinite` option at each step instead of silently turning the parameters into NaN.
 */
import type { PyTree } from '@sciml/autodiff';
import { treeLeaves } from '@sciml/autodiff';
import {
  type NDArray,
  NotFiniteError,
  ValueError,
  findNonFinite,
  formatShape,
} from '@sciml/linalg';
import { sumF32, sumF64 } from '@sciml/linalg/kernels';
import type { LearningRate } from './schedules.js';

/** A closed or half-open interval a hyper-parameter must lie in. */
export interface Range {
  min: number;
  max: number;
  /** Whether `min` itself is excluded (e.g. ε > 0). */
  minOpen?: boolean;
  /** Whether `max` itself is excluded (e.g. β < 1). */
  maxOpen?: boolean;
}

/** [0, ∞): learning rates, weight decay. */
export const NON_NEGATIVE: Range = { min: 0, max: Number.POSITIVE_INFINITY, maxOpen: true };
/** (0, ∞): ε, clipping thresholds. */
export const POSITIVE: Range = { ...NON_NEGATIVE, minOpen: true };
/** [0, 1): decay rates β₁, β₂, ρ and momentum μ. */
export const DECAY: Range = { min: 0, max: 1, maxOpen: true };

function describe(r: Range): string {
  return `${r.minOpen ? '(' : '['}${r.min}, ${r.max === Number.POSITIVE_INFINITY ? '∞' : r.max}${r.maxOpen ? ')' : ']'}`;
}

/** Throws `ValueError` unless `value` is undefined (use the default) or a number in `range`. */
export function checkHyper(op: string, name: string, value: unknown, range: Range): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (range.minOpen ? value > range.min : value >= range.min) &&
    (range.maxOpen ? value < range.max : value <= range.max);
  if (!ok)
    throw new ValueError(
      op,
      `${name} must be a number in ${describe(range)}, got ${String(value)}`,
    );
}

/** Checks a learning rate: a schedule (checked at each step by {@link checkRateAt}) or a number ≥ 0. */
export function checkLearningRate(op: string, lr: LearningRate | undefined): void {
  if (lr === undefined)
    throw new ValueError(op, 'needs a learning rate: pass { lr: 1e-3 } (or a schedule)');
  if (typeof lr === 'function') return;
  checkHyper(op, 'lr', lr, NON_NEGATIVE);
}

/** The learning rate a schedule gave at `step`, which must be a finite number ≥ 0. */
export function checkRateAt(op: string, lr: number, step: number): number {
  if (!(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0))
    throw new ValueError(
      op,
      `the learning-rate schedule gave ${String(lr)} at step ${step}; a rate must be a finite number ≥ 0`,
    );
  return lr;
}

/**
 * What a step does with a gradient holding NaN or ±Infinity: `'error'` (the default) throws
 * `NotFiniteError` naming the optimiser, the step and the leaf; `'skip'` leaves the parameters and the
 * state as they were (the step count included) and counts the skipped step in `state.skipped`.
 * @public
 */
export type NonFinitePolicy = 'error' | 'skip';

/**
 * The first gradient leaf holding NaN or ±Infinity, as a message, or undefined when all are finite.
 * Leaves whose values cannot be read synchronously (device memory) are not inspected.
 */
export function nonFiniteGradient(grads: PyTree): string | undefined {
  const leaves = treeLeaves(grads);
  for (let i = 0; i < leaves.length; i++) {
    const g = leaves[i]!;
    if (finiteBySum(g)) continue;
    const at = findNonFinite(g);
    if (at !== undefined)
      return `gradient leaf ${i} ${formatShape(g.shape)} holds ${at.value} at flat index ${at.index}`;
  }
  return undefined;
}

/**
 * True when a float leaf on the CPU certainly holds no NaN or ±Infinity, from its float64 sum (the wasm SIMD
 * kernel, several times faster than testing each value in JavaScript — this check runs on every step): NaN
 * or ±Infinity anywhere makes the sum NaN or ±Infinity. A non-finite sum of finite values (float64 overflow)
 * only sends the leaf on to the exact scan, which then finds nothing.
 */
function finiteBySum(g: NDArray): boolean {
  const read = g.backend.downloadSync;
  if (!read || (g.dtype !== 'float32' && g.dtype !== 'float64')) return false;
  let data: unknown;
  try {
    data = read.call(g.backend, g.handle, g.dtype, g.size);
  } catch {
    return false; // no values yet (a tracing backend): findNonFinite decides
  }
  if (data instanceof Float32Array) return Number.isFinite(sumF32(data));
  if (data instanceof Float64Array) return Number.isFinite(sumF64(data));
  return false;
}

/** Throws the policy's `NotFiniteError` for a non-finite gradient at `step`. */
export function failNonFinite(op: string, problem: string, step: number): never {
  throw new NotFiniteError(
    op,
    `${problem} at step ${step}; the update would make the parameters NaN. Lower the learning rate, clip with { clipNorm }, find the NaN's source in the loss, or pass { nonFinite: 'skip' } to skip such steps`,
  );
}
