/**
 * Memory given up by buffer donation (`jit(f, { donate })`) that its own program had no use for, kept for
 * the next compiled program that needs a buffer of that dtype and length. A training step is two programs
 * (the step's gradients, then the optimiser's update): the update writes the new parameters into donated
 * memory and the parameters it replaces come back here, where the next step's gradients take them, so a
 * steady loop touches no fresh memory (on this class of machine the first write to fresh pages costs far more
 * than the arithmetic). Bounded: beyond `MAX_BYTES` a buffer is left to the garbage collector.
 */
import type { TypedArray } from '@sciml/linalg';

/** The most memory the pool holds (whole buffers: a bigger one is never kept). */
const MAX_BYTES = 64 * 1024 * 1024;

const free = new Map<string, TypedArray[]>();
let held = 0;

/** The pool's key of a buffer: dtype and element count. */
export function bufferKey(dtype: string, length: number): string {
  return `${dtype}:${length}`;
}

/** A donated buffer of this key, removed from the pool, or undefined. */
export function takeDonated(key: string): TypedArray | undefined {
  const a = free.get(key)?.pop();
  if (a !== undefined) held -= a.byteLength;
  return a;
}

/** Keeps a dead donated buffer for a later program (dropped when the pool is full). */
export function giveDonated(key: string, a: TypedArray): void {
  if (held + a.byteLength > MAX_BYTES) return;
  const list = free.get(key) ?? [];
  free.set(key, list);
  list.push(a);
  held += a.byteLength;
}

/** Bytes the pool holds now (for tests and diagnostics). */
export function donatedBytes(): number {
  return held;
}
