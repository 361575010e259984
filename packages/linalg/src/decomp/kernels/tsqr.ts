/**
 * Tall-skinny QR (TSQR) for m ≫ n: the rows are cut into blocks small enough to stay in cache, each block is
 * factored by Householder QR, the stacked n×n R factors are factored again (recursively), and each block's Q
 * is the block's reflectors applied to its slice of the small Q. Every reflector then sweeps a block that is
 * already in cache instead of the whole m×n matrix, which in row-major storage walks every cache line of A
 * once per column. Backward stable like Householder QR (Mori, Yamamoto & Zhang, "Backward error analysis of
 * the AllReduce algorithm for Householder QR decomposition", Jpn. J. Ind. Appl. Math. 29, 2012).
 * Reference: Demmel, Grigori, Hoemmen & Langou, "Communication-optimal parallel and sequential QR and LU
 * factorizations", SIAM J. Sci. Comput. 34(1), 2012 (the sequential flat tree of §3).
 */
import { extractR, formQ, householderQR } from './qr.js';
import { makeReflector } from './householder.js';
import { tsqrFactorBlockWasm, tsqrQBlockWasm } from '../../kernels/tsqr.js';

/** Bytes of one row block: a few hundred KiB keeps a block and its reflectors in L2. */
const BLOCK_BYTES = 256 * 1024;
/** TSQR pays off only with several blocks; below this many it is one Householder QR. */
const MIN_BLOCKS = 4;
/** Wider than this, blocked Householder QR already runs in the GEMM and TSQR has nothing to add. */
const MAX_COLS = 64;

/** Rows per block for n columns: at least 2n, so each block's R is a full n×n triangle. */
function blockRows(n: number): number {
  return Math.max(2 * n, Math.floor(BLOCK_BYTES / (8 * Math.max(n, 1))));
}

/** Whether {@link tsqrKernel} is the faster reduced QR of an m×n matrix. */
export function isTallSkinny(m: number, n: number): boolean {
  return n >= 1 && n <= MAX_COLS && m >= MIN_BLOCKS * blockRows(n);
}

/**
 * Reduced QR of the m×n row-major `a` (overwritten) by TSQR: returns Q (m×n, orthonormal columns) and
 * R (n×n, upper triangular). Requires m ≥ n. The blocks run in the wasm kernels when they are loaded
 * (`wasm` false forces the TypeScript loops, for tests); they then keep each factored block, and finally Q,
 * in `a`'s own storage (Q is `a`): a fresh m×n array costs as much as the factorisation (page faults).
 */
export function tsqrKernel(
  a: Float64Array,
  m: number,
  n: number,
  wasm = true,
): [Float64Array, Float64Array] {
  if (!isTallSkinny(m, n)) {
    const refl = householderQR(a, m, n);
    return [formQ(refl, m, n), extractR(a, m, n, n)];
  }
  const b = blockRows(n);
  const blocks = Math.floor(m / b); // the last block takes the remainder rows
  const stacked = new Float64Array(blocks * n * n);
  // each block is factored column-major (n × rows, columns contiguous) so every sweep is one long loop
  const factored: Float64Array[] = [];
  const taus: Float64Array[] = [];
  for (let i = 0; i < blocks; i++) {
    const r0 = i * b;
    const rows = (i === blocks - 1 ? m : r0 + b) - r0;
    // the wasm kernel copies the block in before it writes the factored block out, so both can be `a`'s rows
    const slot = a.subarray(r0 * n, (r0 + rows) * n);
    let x = slot;
    const tau = new Float64Array(n);
    if (!wasm || !tsqrFactorBlockWasm(slot, rows, n, slot, tau)) {
      x = transposeBlock(a, r0, rows, n, new Float64Array(rows * n));
      householderColumnMajor(x, rows, n, tau);
    }
    taus.push(tau);
    factored.push(x);
    // the block's R (upper triangle) becomes rows i·n … of the stacked matrix
    for (let c = 0; c < n; c++)
      for (let r = 0; r <= c; r++) stacked[(i * n + r) * n + c] = x[c * rows + r]!;
  }
  // QR of the stacked R factors (blocks·n × n): R is the answer's R, Qs glues the blocks' Qs together
  const [Qs, R] = tsqrKernel(stacked, blocks * n, n, wasm);
  // block i's rows of Q overwrite its factored block (read in full before they are written) or its rows of A
  const Q = a;
  for (let i = 0; i < blocks; i++) {
    const r0 = i * b;
    const rows = (i === blocks - 1 ? m : r0 + b) - r0;
    // Q_block = H₀ ⋯ H_{n−1} [Qs_i; 0], built column-major then written back row-major
    const s = Qs.subarray(i * n * n, (i + 1) * n * n);
    if (
      wasm &&
      tsqrQBlockWasm(factored[i]!, rows, n, taus[i]!, s, Q.subarray(r0 * n, (r0 + rows) * n))
    )
      continue;
    const q = new Float64Array(n * rows);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) q[c * rows + r] = Qs[(i * n + r) * n + c]!;
    applyColumnMajorBackward(factored[i]!, rows, n, taus[i]!, q);
    for (let r = 0; r < rows; r++) {
      const row = (r0 + r) * n;
      for (let c = 0; c < n; c++) Q[row + c] = q[c * rows + r]!;
    }
  }
  return [Q, R];
}

/** Rows r0 … r0+rows−1 of the row-major m×n `a`, transposed into a column-major rows×n copy. */
function transposeBlock(
  a: Float64Array,
  r0: number,
  rows: number,
  n: number,
  x: Float64Array,
): Float64Array {
  for (let r = 0; r < rows; r++) {
    const row = (r0 + r) * n;
    for (let c = 0; c < n; c++) x[c * rows + r] = a[row + c]!;
  }
  return x;
}

/**
 * Householder QR of the column-major rows×n `x` in place (LAPACK `dgeqr2`): R above the diagonal, reflector
 * j's tail v₁… below it (v₀ = 1 implied); returns the τs.
 */
function householderColumnMajor(
  x: Float64Array,
  rows: number,
  n: number,
  taus: Float64Array,
): Float64Array {
  for (let j = 0; j < n; j++) {
    const tau = makeReflector(x, j * rows + j, 1, rows - j);
    taus[j] = tau;
    reflect(x, j, rows, tau, x, j + 1, n);
  }
  return taus;
}

/** q ← H₀ ⋯ H_{n−1} q for the column-major rows×n `q`, the reflectors stored in `x` as above. */
function applyColumnMajorBackward(
  x: Float64Array,
  rows: number,
  n: number,
  taus: Float64Array,
  q: Float64Array,
): void {
  for (let j = n - 1; j >= 0; j--) reflect(x, j, rows, taus[j]!, q, 0, n);
}

/**
 * Applies H_j = I − τ v vᵀ (v stored below the diagonal of column j of `x`, v_j = 1) to rows j… of columns
 * c0…c1−1 of the column-major `y` (column stride `rows`). Four columns share each pass over v, so v is read
 * once per four columns and the four dot products run side by side.
 */
function reflect(
  x: Float64Array,
  j: number,
  rows: number,
  tau: number,
  y: Float64Array,
  c0: number,
  c1: number,
): void {
  if (tau === 0) return;
  const v = j * rows;
  let c = c0;
  for (; c + 4 <= c1; c += 4) {
    const o0 = c * rows;
    const o1 = o0 + rows;
    const o2 = o1 + rows;
    const o3 = o2 + rows;
    let d0 = y[o0 + j]!;
    let d1 = y[o1 + j]!;
    let d2 = y[o2 + j]!;
    let d3 = y[o3 + j]!;
    for (let r = j + 1; r < rows; r++) {
      const vr = x[v + r]!;
      d0 += vr * y[o0 + r]!;
      d1 += vr * y[o1 + r]!;
      d2 += vr * y[o2 + r]!;
      d3 += vr * y[o3 + r]!;
    }
    d0 *= tau;
    d1 *= tau;
    d2 *= tau;
    d3 *= tau;
    y[o0 + j]! -= d0;
    y[o1 + j]! -= d1;
    y[o2 + j]! -= d2;
    y[o3 + j]! -= d3;
    for (let r = j + 1; r < rows; r++) {
      const vr = x[v + r]!;
      y[o0 + r]! -= d0 * vr;
      y[o1 + r]! -= d1 * vr;
      y[o2 + r]! -= d2 * vr;
      y[o3 + r]! -= d3 * vr;
    }
  }
  for (; c < c1; c++) {
    const o = c * rows;
    let d = y[o + j]!;
    for (let r = j + 1; r < rows; r++) d += x[v + r]! * y[o + r]!;
    d *= tau;
    y[o + j]! -= d;
    for (let r = j + 1; r < rows; r++) y[o + r]! -= d * x[v + r]!;
  }
}
