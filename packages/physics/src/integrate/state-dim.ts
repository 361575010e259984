/**
 * The state dimension a right-hand side was written for. A system's `rhs` reads `y[0..n)` and writes
 * `dydt[0..n)` with no length check (it is the innermost call of every integrator), so a `y0` of the wrong
 * length would otherwise surface much later as a "non-finite right-hand side". Systems register their `rhs`
 * and `jacobian` here; `solveIVP` and the stability tools compare `y0` against it before integrating.
 */
import { ShapeError } from '@sciml/linalg';

const dims = new WeakMap<object, { readonly dim: number; readonly system: string }>();

/** Records that `fn` (an rhs or Jacobian of `system`) works on states of length `dim`; returns `fn`. */
export function withStateDim<F extends object>(fn: F, dim: number, system: string): F {
  dims.set(fn, { dim, system });
  return fn;
}

/** Throws a `ShapeError` naming `op` when `fn` is registered for another state length than `n`. */
export function checkStateDim(op: string, fn: unknown, n: number, what = 'y0'): void {
  if (typeof fn !== 'function') return;
  const known = dims.get(fn);
  if (!known || known.dim === n) return;
  throw new ShapeError(
    op,
    `${what} has ${n} component${n === 1 ? '' : 's'} but the ${known.system} right-hand side works on states of length ${known.dim}; pass ${known.dim} values (e.g. the system's initialState())`,
  );
}
