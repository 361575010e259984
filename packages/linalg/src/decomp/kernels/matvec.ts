/**
 * Matrix–vector products on a block of a row-major matrix in place (the two `dgemv` shapes the blocked
 * bidiagonalisation's panel spends its time in). Four rows go through each pass: the transposed product
 * loads and stores y once per four rows instead of once per row, and the plain product keeps four
 * independent sums, so neither waits on one floating-point add chain. Reference: Golub & Van Loan,
 * Matrix Computations (4th ed.), §1.1.
 */

/**
 * y[y0 + c] += α Σ_r x[x0 + r] · a[off + r·lda + c] for c < cols, r < rows: y += α Bᵀx for the rows×cols
 * block B of `a` at `off` (row stride `lda`). `y` may be `a` itself if the two ranges do not overlap.
 */
export function addTransposedProduct(
  a: Float64Array,
  off: number,
  lda: number,
  rows: number,
  cols: number,
  x: Float64Array,
  x0: number,
  y: Float64Array,
  y0: number,
  alpha = 1,
): void {
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const p0 = off + r * lda;
    const p1 = p0 + lda;
    const p2 = p1 + lda;
    const p3 = p2 + lda;
    const v0 = alpha * x[x0 + r]!;
    const v1 = alpha * x[x0 + r + 1]!;
    const v2 = alpha * x[x0 + r + 2]!;
    const v3 = alpha * x[x0 + r + 3]!;
    for (let c = 0; c < cols; c++) {
      y[y0 + c]! += v0 * a[p0 + c]! + v1 * a[p1 + c]! + v2 * a[p2 + c]! + v3 * a[p3 + c]!;
    }
  }
  for (; r < rows; r++) {
    const p = off + r * lda;
    const v = alpha * x[x0 + r]!;
    if (v === 0) continue;
    for (let c = 0; c < cols; c++) y[y0 + c]! += v * a[p + c]!;
  }
}

/**
 * y[y0 + r] += α Σ_c a[off + r·lda + c] · x[x0 + c] for r < rows, c < cols: y += α Bx for the rows×cols block
 * B of `a` at `off` (row stride `lda`). `y` may be `a` itself if the two ranges do not overlap.
 */
export function addProduct(
  a: Float64Array,
  off: number,
  lda: number,
  rows: number,
  cols: number,
  x: Float64Array,
  x0: number,
  y: Float64Array,
  y0: number,
  alpha = 1,
): void {
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const p0 = off + r * lda;
    const p1 = p0 + lda;
    const p2 = p1 + lda;
    const p3 = p2 + lda;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < cols; c++) {
      const xc = x[x0 + c]!;
      s0 += a[p0 + c]! * xc;
      s1 += a[p1 + c]! * xc;
      s2 += a[p2 + c]! * xc;
      s3 += a[p3 + c]! * xc;
    }
    y[y0 + r]! += alpha * s0;
    y[y0 + r + 1]! += alpha * s1;
    y[y0 + r + 2]! += alpha * s2;
    y[y0 + r + 3]! += alpha * s3;
  }
  for (; r < rows; r++) {
    const p = off + r * lda;
    let s = 0;
    for (let c = 0; c < cols; c++) s += a[p + c]! * x[x0 + c]!;
    y[y0 + r]! += alpha * s;
  }
}
