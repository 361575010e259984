/**
 * Lowering a staged program to something that runs: constants are bound once, and the equations run either
 * through generated fused kernels (CPU, see `fuse.ts`) or one by one through `bind` (any backend).
 */
import type { NDArray } from '@sciml/linalg';
import { type Staged, evalJaxpr, materializeConsts } from './stage.js';

/** A compiled program: run it on the flattened arguments. */
export interface Executable {
  readonly staged: Staged;
  /** Arrays bound to the program's constants. */
  readonly consts: readonly NDArray[];
  run(args: readonly NDArray[]): NDArray[];
}

/** Compiles a staged program for its target backend. */
export function compileStaged(staged: Staged): Executable {
  const consts = materializeConsts(staged.jaxpr.constVars, staged.target);
  return {
    staged,
    consts,
    run: (args) => evalJaxpr(staged.jaxpr, consts, args),
  };
}
