// Shape checks shared by the layers: each names the layer and the fix.
import { ShapeError, ValueError, type NDArray, formatShape } from '@sciml/linalg';

/** Throws unless `n` is a positive integer. */
export function positiveInt(op: string, what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ValueError(op, `${what} must be a positive integer, got ${n}`);
  return n;
}

/** The last axis of a per-example shape, which must exist. */
export function lastDim(op: string, inputShape: readonly number[]): number {
  if (inputShape.length === 0)
    throw new ShapeError(
      op,
      'needs per-example inputs with at least one axis, got a scalar shape []',
    );
  return inputShape[inputShape.length - 1]!;
}

/** Checks that a batch has the per-example rank `rank` plus a batch axis. */
export function batchRank(op: string, x: NDArray, rank: number, layout: string): void {
  if (x.ndim !== rank + 1)
    throw new ShapeError(
      op,
      `expects a batch ${layout} (${rank + 1} axes), got ${formatShape(x.shape)}; add the batch axis (reshape)`,
    );
}

/** Checks that the last axis of x has length n. */
export function lastAxis(op: string, x: NDArray, n: number): void {
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== n)
    throw new ShapeError(
      op,
      `expects the last axis of the input to have ${n} features, got ${formatShape(x.shape)}`,
    );
}
