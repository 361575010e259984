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
  // four rows at a time: four independent dependency chains keep the FPU busy (about 2× faster)
  let r = r0;
  if (!descending) {
    for (; r + 3 < r1; r += 4) {
      const a = r * n + col0;
      const b = a + n;
      const c4 = b + n;
      const d = c4 + n;
      let x0 = z[a]!;
      let x1 = z[b]!;
      let x2 = z[c4]!;
      let x3 = z[d]!;
      for (let k = 0; k < count; k++) {
        const c = cs[k]!;
        const s = sn[k]!;
        const y0 = z[a + k + 1]!;
        const y1 = z[b + k + 1]!;
        const y2 = z[c4 + k + 1]!;
        const y3 = z[d + k + 1]!;
        z[a + k] = c * x0 - s * y0;
        x0 = s * x0 + c * y0;
        z[b + k] = c * x1 - s * y1;
        x1 = s * x1 + c * y1;
        z[c4 + k] = c * x2 - s * y2;
        x2 = s * x2 + c * y2;
        z[d + k] = c * x3 - s * y3;
        x3 = s * x3 + c * y3;
      }
      z[a + count] = x0;
      z[b + count] = x1;
      z[c4 + count] = x2;
      z[d + count] = x3;
    }
    for (; r < r1; r++) {
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
    for (; r + 3 < r1; r += 4) {
      const a = r * n + col0;
      const b = a + n;
      const c4 = b + n;
      const d = c4 + n;
      // carried values: the (updated) entries at the upper column of the next rotation
      let h0 = z[a]!;
      let h1 = z[b]!;
      let h2 = z[c4]!;
      let h3 = z[d]!;
      for (let k = 0; k < count; k++) {
        const c = cs[k]!;
        const s = sn[k]!;
        const x0 = z[a - k - 1]!;
        const x1 = z[b - k - 1]!;
        const x2 = z[c4 - k - 1]!;
        const x3 = z[d - k - 1]!;
        z[a - k] = s * x0 + c * h0;
        h0 = c * x0 - s * h0;
        z[b - k] = s * x1 + c * h1;
        h1 = c * x1 - s * h1;
        z[c4 - k] = s * x2 + c * h2;
        h2 = c * x2 - s * h2;
        z[d - k] = s * x3 + c * h3;
        h3 = c * x3 - s * h3;
      }
      z[a - count] = h0;
      z[b - count] = h1;
      z[c4 - count] = h2;
      z[d - count] = h3;
    }
    for (; r < r1; r++) {
      const row = r * n + col0;
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

/**
 * Applies the plane rotation G = [[c, s], [−s, c]] to columns a and b of a row-major matrix with `rows` rows
 * and row stride `stride`: (x, y) ← (c·x + s·y, −s·x + c·y) in every row (M ← M Gᵀ on those two columns).
 */
export function rotateColumnPair(
  M: Float64Array,
  rows: number,
  stride: number,
  a: number,
  b: number,
  c: number,
  s: number,
): void {
  for (let r = 0; r < rows; r++) {
    const x = M[r * stride + a]!;
    const y = M[r * stride + b]!;
    M[r * stride + a] = c * x + s * y;
    M[r * stride + b] = -s * x + c * y;
  }
}
