import { ShapeError, ValueError } from '@sciml/linalg';
import type { OdeJacobian, OdeRhs, OdeRhsInPlace } from './types.js';

/**
 * The in-place form of a right-hand side. An in-place `f` is returned as is (no wrapper, so no cost);
 * a returning `f` is wrapped to copy its result into `dydt` after checking the length.
 */
export function toInPlaceRhs(
  op: string,
  f: OdeRhs,
  n: number,
  form?: 'inplace' | 'return',
): OdeRhsInPlace {
  if (typeof f !== 'function') {
    throw new ValueError(
      op,
      `the right-hand side must be a function f(t, y[, dydt]), got ${typeof f}`,
    );
  }
  const inPlace = form === undefined ? f.length >= 3 : form === 'inplace';
  if (form !== undefined && form !== 'inplace' && form !== 'return') {
    throw new ValueError(op, `rhsForm must be 'inplace' or 'return', got '${String(form)}'`);
  }
  if (inPlace) return f as OdeRhsInPlace;
  const g = f as (t: number, y: Float64Array) => ArrayLike<number>;
  return (t, y, dydt) => {
    const r = g(t, y);
    if (r == null || r.length !== n) {
      throw new ShapeError(
        op,
        `f(t, y) returned ${r == null ? String(r) : `length ${r.length}`} for a state of length ${n}; ` +
          "return one derivative per state component, or write f(t, y, dydt) in place (rhsForm: 'inplace')",
      );
    }
    for (let i = 0; i < n; i++) dydt[i] = r[i];
  };
}

/** The in-place form of a Jacobian: fills `jac` (n×n row-major) from either form of `jac`. */
export function toInPlaceJacobian(
  op: string,
  jac: OdeJacobian,
  n: number,
): (t: number, y: Float64Array, out: Float64Array) => void {
  if (jac.length >= 3) return jac as (t: number, y: Float64Array, out: Float64Array) => void;
  const g = jac as (t: number, y: Float64Array) => ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  return (t, y, out) => {
    const r = g(t, y);
    if (r.length === n * n && typeof r[0] === 'number') {
      for (let i = 0; i < n * n; i++) out[i] = (r as ArrayLike<number>)[i];
      return;
    }
    if (r.length !== n) {
      throw new ShapeError(
        op,
        `jac(t, y) must return ${n}×${n} (nested rows or flat row-major), got length ${r.length}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const row = (r as ArrayLike<ArrayLike<number>>)[i];
      if (row == null || row.length !== n) {
        throw new ShapeError(op, `jac(t, y) row ${i} has length ${row?.length}, expected ${n}`);
      }
      for (let j = 0; j < n; j++) out[i * n + j] = row[j];
    }
  };
}
