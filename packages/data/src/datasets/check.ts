// Argument checks shared by the dataset generators.
import { ValueError } from '@sciml/linalg';

/** Throws unless `v` is an integer ≥ `min`. */
export function checkInt(op: string, name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min)
    throw new ValueError(op, `${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** Throws unless `v` is a finite number ≥ 0. */
export function checkNonNegative(op: string, name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0)
    throw new ValueError(op, `${name} must be a finite number ≥ 0, got ${v}`);
  return v;
}
