// Snapshot matrices for POD/SVD/DMD analysis: a field sampled on a grid over time becomes a matrix whose
// column k is the flattened field at time k (Brunton & Kutz, "Data-Driven Science and Engineering", §7).
import { type NDArray, ShapeError, ValueError, allocTyped, fromTypedArray } from '@sciml/linalg';

/**
 * Turns a field `[time, ...space]` (or `[...space, time]` with `{ timeAxis: -1 }`) into the snapshot matrix
 * `[space points, time]`: space flattened in row-major order, one column per time.
 * @example `snapshotMatrix(u) // u: [nt, ny, nx] → [ny·nx, nt]`
 * @public
 */
export function snapshotMatrix(field: NDArray, options: { timeAxis?: 0 | -1 } = {}): NDArray {
  if (field.ndim < 2)
    throw new ShapeError(
      'snapshotMatrix',
      `expects a field with a time axis and at least one space axis, got shape (${field.shape.join(', ')})`,
    );
  const timeLast = (options.timeAxis ?? 0) === -1;
  const nt = timeLast ? field.shape[field.ndim - 1]! : field.shape[0]!;
  const ns = field.size / Math.max(nt, 1);
  const src = field.dataSync();
  if (timeLast) return fromTypedArray(src.slice(), [ns, nt]); // already space-major
  const out = allocTyped(field.dtype, field.size);
  for (let t = 0; t < nt; t++) for (let s = 0; s < ns; s++) out[s * nt + t] = src[t * ns + s]!;
  return fromTypedArray(out, [ns, nt]);
}

/**
 * Inverse of {@link snapshotMatrix}: columns `[space points, time]` back to a field `[time, ...spatialShape]`
 * (or `[...spatialShape, time]` with `{ timeAxis: -1 }`).
 * @public
 */
export function fieldFromSnapshots(
  matrix: NDArray,
  spatialShape: readonly number[],
  options: { timeAxis?: 0 | -1 } = {},
): NDArray {
  if (matrix.ndim !== 2)
    throw new ShapeError(
      'fieldFromSnapshots',
      `expects a [space, time] matrix, got shape (${matrix.shape.join(', ')})`,
    );
  const [ns, nt] = matrix.shape as [number, number];
  const points = spatialShape.reduce((a, b) => a * b, 1);
  if (points !== ns)
    throw new ValueError(
      'fieldFromSnapshots',
      `spatial shape (${spatialShape.join(', ')}) has ${points} points, the matrix has ${ns} rows`,
    );
  const src = matrix.dataSync();
  if (options.timeAxis === -1) return fromTypedArray(src.slice(), [...spatialShape, nt]);
  const out = allocTyped(matrix.dtype, matrix.size);
  for (let s = 0; s < ns; s++) for (let t = 0; t < nt; t++) out[t * ns + s] = src[s * nt + t]!;
  return fromTypedArray(out, [nt, ...spatialShape]);
}
