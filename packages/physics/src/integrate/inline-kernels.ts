/**
 * Step loops that a right-hand side brings with it. A symbolic system (`defineSystem`) compiles its
 * equations into the fixed-step loops themselves (steppers/tableau-kernel.ts); it registers them here
 * against its in-place `rhs`, so that `solveIVP(system.rhs, …, { method: 'RK4', dt })` runs the loop with f
 * written in, and every other method calls `rhs` as usual.
 */
import type { FixedMethod, StepKernel } from './steppers/fixed-kernels.js';
import type { OdeRhsInPlace } from './types.js';

/** The fixed-step loop of a method for one right-hand side (undefined: use the generic loop). */
export type InlineKernels = (method: FixedMethod) => StepKernel | undefined;

const registry = new WeakMap<object, InlineKernels>();

/** Records the fixed-step loops of `rhs` (a compiled system's right-hand side); returns `rhs`. */
export function withInlineKernels<F extends OdeRhsInPlace>(rhs: F, kernels: InlineKernels): F {
  registry.set(rhs, kernels);
  return rhs;
}

/** The loop of `method` with `f` written in, when `f` registered one. */
export function inlineKernelOf(f: unknown, method: FixedMethod): StepKernel | undefined {
  return typeof f === 'function' ? registry.get(f)?.(method) : undefined;
}
