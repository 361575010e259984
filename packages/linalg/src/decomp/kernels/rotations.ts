/**
 * Deferred application of a sequence of plane rotations to adjacent columns of a row-major matrix (the job
 * of LAPACK's `dlasr`). QR/QL sweeps on tridiagonal and bidiagonal matrices produce one rotation per step;
 * recording a whole sweep and then streaming each row of the vector matrix through it touches every
 * element once per sweep, carrying one value in a register, instead of two rows per rotation.
 */

/**
 * For each row r of the row-major `z` (row length `n`, rows r0…r1−1), applies the rotations k = 0…count−1 in
 * order; rotation k acts on columns (col0 + k, col0 + k + 1) as
 *   [z_i, z_{i+1}] ← [c·z_i − s·z_{i+1}, s·z_i + c·z_{i+1}]   (ascending: i = col0 + k).
 * With `descending`, rotation k acts on columns (col0 − k − 1, col0 − k) instead, applied from the top index
 * down — the order of an implicit QL sweep.
 */
export function applyRotationSequence(
  z: Float64Array,
  n: number,
  r0: number,
  r1: number,
  col0: number,
  count: number,
  cs: Float64Array,
  sn: Float64Array,
  descending: boolean,
): void {
  if (count === 0) return;
  if (!descending) {
    for (let r = r0; r < r1; r++) {
      const row = r * n + col0;
      let x = z[row]!;
      for (let k = 0; k < count; k++) {
        const c = cs[k]!;
        const s = sn[k]!;
        const y = z[row + k + 1]!;
        z[row + k] = c * x - s * y;
        x = s * x + c * y;
      }
      z[row + count] = x;
    }
  } else {
    for (let r = r0; r < r1; r++) {
      const row = r * n + col0;
      // carried value: the (updated) entry at the upper column of the next rotation
      let h = z[row]!;
      for (let k = 0; k < count; k++) {
        const c = cs[k]!;
        const s = sn[k]!;
        const x = z[row - k - 1]!;
        z[row - k] = s * x + c * h;
        h = c * x - s * h;
      }
      z[row - count] = h;
    }
  }
}
