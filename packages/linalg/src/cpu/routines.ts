import type { BackendInput, OutputSpec } from '../backend/backend.js';
import type { TypedArray } from '../core/dtype.js';
import type { LinalgPrimitive, PrimitiveParams } from '../core/primitives.js';

type Routine<P extends Exclude<LinalgPrimitive, 'matmul'>> = (
  inputs: readonly BackendInput[],
  params: PrimitiveParams<P>,
  outputs: readonly OutputSpec[],
) => TypedArray[];

/**
 * CPU implementations of the named matrix routines (the readable float64 references other backends may
 * replace). Entries are filled in by the decomposition modules; a missing one makes `supports()` false.
 */
export const cpuRoutines: { [P in Exclude<LinalgPrimitive, 'matmul'>]?: Routine<P> } = {};
