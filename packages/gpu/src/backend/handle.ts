/**
 * The handle an NDArray holds for data on the GPU. Its state is one of: a device buffer (a reference on a
 * shared `Storage`), a pending fusion DAG (holding references on the buffers it reads), or a scalar
 * constant (uploaded size-1 arrays need no buffer until a kernel must read one).
 */
import type { DType } from '@sciml/linalg';
import type { Expr } from '../lazy/expr.js';
import type { Storage } from '../memory/pool.js';

/** What a handle owns. Kept apart from the handle so a finalizer can release it. */
export interface ArrayState {
  storage?: Storage;
  expr?: Expr;
  /** Storages `expr` reads, each holding one reference for this array. */
  leaves?: Storage[];
  constant?: { readonly value: number; readonly dtype: DType };
  released: boolean;
  /** Why the state was released (shown when a released array is used). */
  releasedBy?: 'dispose' | 'finalizer';
}

/** The opaque handle of a GPU array. */
export class GpuArray {
  readonly state: ArrayState;

  constructor(state: ArrayState) {
    this.state = state;
  }
}

/** Drops every reference a state holds (idempotent). Returns true when it released device memory. */
export function releaseState(state: ArrayState, by: ArrayState['releasedBy']): boolean {
  if (state.released) return false;
  const heldMemory = state.storage !== undefined || (state.leaves?.length ?? 0) > 0;
  state.released = true;
  state.releasedBy = by;
  state.storage?.release();
  for (const s of state.leaves ?? []) s.release();
  state.storage = undefined;
  state.expr = undefined;
  state.leaves = undefined;
  return heldMemory;
}
