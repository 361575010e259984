// Blocked, packed float32 GEMM (BLIS loop order) with a 4×8 f32x4 register tile.
// Same stride convention and memory contract as gemm_f64.ts (see its header).
//
// Register budget: 8 accumulators + 2 B vectors + 1 A broadcast + 1 temporary = 12 xmm registers
// in principle, but TurboFan (Node 20) issues all four broadcasts of a step before the arithmetic,
// so the loop uses xmm0–14, every register V8 leaves to wasm. Measured not to pay (single-thread
// CPU time, 256³): a 5×8 tile (10 accumulators; the hoisted broadcasts spill, 0.67×) and unrolling
// the p loop by 2 or 4 (the steps' loads are hoisted together and spill, 0.65–0.78×).

const MR: i32 = 4;
const NR: i32 = 8;
// KC×NR micro-panel of B: 8 KiB (L1); MC×KC block of A: 128 KiB (L2); KC×NC panel of B: 2 MiB (L3).
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;
// A is read in place, not packed, when C's NC block is at most DIRECT_A_MAX_N wide and one step of
// p in A is under DIRECT_A_MAX_STEP bytes: at 4 KiB a transposed A's p-steps fall in one L1 set
// (1024×256×1024 TN 0.70× in place); 1000 and 512 f32 wide steps still gained. See blocked().
const DIRECT_A_MAX_N: i32 = 256;
const DIRECT_A_MAX_STEP: i32 = 4096;

/** Bytes the caller must reserve for the pack buffers and edge tile of one gemm_f32 call. */
export function gemm_f32_scratch_bytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 2;
}

function packA(mc: i32, kc: i32, a: usize, rsA: i32, csA: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      const src = a + (((i0 * rsA + p * csA) as usize) << 2);
      for (let i = 0; i < MR; i++) {
        store<f32>(dst + ((i as usize) << 2), i < rows ? load<f32>(src + (((i * rsA) as usize) << 2)) : 0.0);
      }
      dst += (MR as usize) << 2;
    }
  }
}

function packB(kc: i32, nc: i32, b: usize, rsB: i32, csB: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      const src = b + (((p * rsB + j0 * csB) as usize) << 2);
      if (cols == NR && csB == 1) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else if (cols >= 4 && csB == 1) {
        // a right edge of 4–7 contiguous columns (n = 20 → 4): one vector, then the rest or zeros
        v128.store(dst, v128.load(src));
        for (let j = 4; j < NR; j++) {
          store<f32>(dst + ((j as usize) << 2), j < cols ? load<f32>(src + ((j as usize) << 2)) : 0.0);
        }
      } else {
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + ((j as usize) << 2), j < cols ? load<f32>(src + (((j * csB) as usize) << 2)) : 0.0);
        }
      }
      dst += (NR as usize) << 2;
    }
  }
}

// C tile (+)= A-panel · packed-B-panel over kc, with fresh accumulators, so every element's sum
// runs in order of p whatever the tile shape; `accumulate` adds C's previous K block at the end.
// pa is A packed by packA unless `direct`, when it is A itself: rows rowA bytes apart, p steps
// stepA bytes apart (all MR rows must exist). `narrow` computes only the first 4 columns (a right
// edge of nr ≤ 4 at half the work of the full tile). Full tiles are stored in place; partial ones
// go through `tile` and are copied element-wise. `direct` and `narrow` are constants at every
// call, so each inlined copy keeps one loop.
// @ts-ignore: decorator
@inline
function micro(
  kc: i32, pa: usize, direct: bool, rowA: usize, stepA: usize, narrow: bool,
  pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (direct && narrow) {
    let a1 = pa + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
    const paEnd = pa + (kc as usize) * stepA;
    while (pa < paEnd) {
      const b0 = v128.load(pb);
      let av = v128.load32_splat(pa);
      c00 = f32x4.add(c00, f32x4.mul(av, b0));
      av = v128.load32_splat(a1);
      c10 = f32x4.add(c10, f32x4.mul(av, b0));
      av = v128.load32_splat(a2);
      c20 = f32x4.add(c20, f32x4.mul(av, b0));
      av = v128.load32_splat(a3);
      c30 = f32x4.add(c30, f32x4.mul(av, b0));
      pa += stepA;
      a1 += stepA;
      a2 += stepA;
      a3 += stepA;
      pb += 32;
    }
  } else if (direct) {
    let a1 = pa + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
    const paEnd = pa + (kc as usize) * stepA;
    while (pa < paEnd) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let av = v128.load32_splat(pa);
      c00 = f32x4.add(c00, f32x4.mul(av, b0));
      c01 = f32x4.add(c01, f32x4.mul(av, b1));
      av = v128.load32_splat(a1);
      c10 = f32x4.add(c10, f32x4.mul(av, b0));
      c11 = f32x4.add(c11, f32x4.mul(av, b1));
      av = v128.load32_splat(a2);
      c20 = f32x4.add(c20, f32x4.mul(av, b0));
      c21 = f32x4.add(c21, f32x4.mul(av, b1));
      av = v128.load32_splat(a3);
      c30 = f32x4.add(c30, f32x4.mul(av, b0));
      c31 = f32x4.add(c31, f32x4.mul(av, b1));
      pa += stepA;
      a1 += stepA;
      a2 += stepA;
      a3 += stepA;
      pb += 32;
    }
  } else if (narrow) {
    const paEnd = pa + (((kc * MR) as usize) << 2);
    while (pa < paEnd) {
      const b0 = v128.load(pb);
      let av = v128.load32_splat(pa);
      c00 = f32x4.add(c00, f32x4.mul(av, b0));
      av = v128.load32_splat(pa, 4);
      c10 = f32x4.add(c10, f32x4.mul(av, b0));
      av = v128.load32_splat(pa, 8);
      c20 = f32x4.add(c20, f32x4.mul(av, b0));
      av = v128.load32_splat(pa, 12);
      c30 = f32x4.add(c30, f32x4.mul(av, b0));
      pa += 16;
      pb += 32;
    }
  } else {
    const paEnd = pa + (((kc * MR) as usize) << 2);
    while (pa < paEnd) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let av = v128.load32_splat(pa);
      c00 = f32x4.add(c00, f32x4.mul(av, b0));
      c01 = f32x4.add(c01, f32x4.mul(av, b1));
      av = v128.load32_splat(pa, 4);
      c10 = f32x4.add(c10, f32x4.mul(av, b0));
      c11 = f32x4.add(c11, f32x4.mul(av, b1));
      av = v128.load32_splat(pa, 8);
      c20 = f32x4.add(c20, f32x4.mul(av, b0));
      c21 = f32x4.add(c21, f32x4.mul(av, b1));
      av = v128.load32_splat(pa, 12);
      c30 = f32x4.add(c30, f32x4.mul(av, b0));
      c31 = f32x4.add(c31, f32x4.mul(av, b1));
      pa += 16;
      pb += 32;
    }
  }
  const full = mr == MR && nr == (narrow ? 4 : NR);
  let dst = full ? c : tile;
  const stride: usize = full ? (ldc as usize) << 2 : 32;
  if (full && accumulate) {
    c00 = f32x4.add(c00, v128.load(dst));
    c10 = f32x4.add(c10, v128.load(dst + stride));
    c20 = f32x4.add(c20, v128.load(dst + 2 * stride));
    c30 = f32x4.add(c30, v128.load(dst + 3 * stride));
    if (!narrow) {
      c01 = f32x4.add(c01, v128.load(dst, 16));
      c11 = f32x4.add(c11, v128.load(dst + stride, 16));
      c21 = f32x4.add(c21, v128.load(dst + 2 * stride, 16));
      c31 = f32x4.add(c31, v128.load(dst + 3 * stride, 16));
    }
  }
  v128.store(dst, c00);
  v128.store(dst + stride, c10);
  v128.store(dst + 2 * stride, c20);
  v128.store(dst + 3 * stride, c30);
  if (!narrow) {
    v128.store(dst, c01, 16);
    v128.store(dst + stride, c11, 16);
    v128.store(dst + 2 * stride, c21, 16);
    v128.store(dst + 3 * stride, c31, 16);
  }
  if (!full) {
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < nr; j++) {
        const t = load<f32>(tile + (((i * NR + j) as usize) << 2));
        const q = c + (((i * ldc + j) as usize) << 2);
        store<f32>(q, accumulate ? load<f32>(q) + t : t);
      }
    }
  }
}

// The narrow micro-kernels for a right edge of nr ≤ 4 columns, kept out of line: inlined into
// blocked() beside the full ones they cost the full tiles ~5 % (V8's register allocation of the
// larger loop nest).
function microEdge(
  kc: i32, pa: usize, direct: bool, rowA: usize, stepA: usize,
  pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool, tile: usize,
): void {
  if (direct) micro(kc, pa, true, rowA, stepA, true, pb, c, ldc, mr, nr, accumulate, tile);
  else micro(kc, pa, false, 0, 0, true, pb, c, ldc, mr, nr, accumulate, tile);
}

// The blocked loops. With `packed`, b points at all of B already packed by gemm_f32_pack_b (the
// parallel path packs B once and shares it between threads); otherwise each KC×NC block of B is
// packed here, into the scratch area, just before use.
// @ts-ignore: decorator
@inline
function blocked(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32,
  scratch: usize, packed: bool,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (let i = 0; i < m; i++) memory.fill(c + (((i * ldc) as usize) << 2), 0, (n as usize) << 2);
    return;
  }
  const bufA = scratch;
  const bufB = scratch + (((MC * KC) as usize) << 2);
  const tile = bufB + (((KC * NC) as usize) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncPadded = (nc + NR - 1) / NR * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      let panelB = bufB;
      if (packed) {
        panelB = b + (((jc * k + pc * ncPadded) as usize) << 2);
      } else {
        packB(kc, nc, b + (((pc * rsB + jc * csB) as usize) << 2), rsB, csB, bufB);
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const blockA = a + (((ic * rsA + pc * csA) as usize) << 2);
        // Packing A pays when its panels serve many column tiles; for a narrow C (n ≤
        // DIRECT_A_MAX_N) the copy costs more than the strided reads it saves, so full row
        // tiles read A in place and only a partial last one is packed (its missing rows read as 0).
        const direct = nc <= DIRECT_A_MAX_N && csA << 2 < DIRECT_A_MAX_STEP;
        const fullRows = direct ? mc / MR * MR : 0;
        if (direct) {
          if (fullRows < mc) packA(mc - fullRows, kc, blockA + (((fullRows * rsA) as usize) << 2), rsA, csA, bufA);
        } else {
          packA(mc, kc, blockA, rsA, csA, bufA);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = panelB + (((jr * kc) as usize) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cTile = c + ((((ic + ir) * ldc + jc + jr) as usize) << 2);
            const pa = ir < fullRows ? blockA + (((ir * rsA) as usize) << 2) : bufA + ((((ir - fullRows) * kc) as usize) << 2);
            const rowA = (rsA as usize) << 2;
            const stepA = (csA as usize) << 2;
            if (nr <= 4) {
              microEdge(kc, pa, ir < fullRows, rowA, stepA, pb, cTile, ldc, mr, nr, pc > 0, tile);
            } else if (ir < fullRows) {
              micro(kc, pa, true, rowA, stepA, false, pb, cTile, ldc, mr, nr, pc > 0, tile);
            } else {
              micro(kc, pa, false, 0, 0, false, pb, cTile, ldc, mr, nr, pc > 0, tile);
            }
          }
        }
      }
    }
  }
}

/** C[m×n] = op(A)·op(B) in float32; see gemm_f64.ts for the stride convention. */
export function gemm_f32(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32,
  scratch: usize,
): void {
  blocked(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, scratch, false);
}

/** Bytes of all of a k×n B packed by gemm_f32_pack_b (each NC panel's width rounded up to NR). */
export function gemm_f32_packed_b_bytes(k: i32, n: i32): i32 {
  const full = n / NC * NC;
  const rest = (n - full + NR - 1) / NR * NR;
  return ((full + rest) * k) << 2;
}

/** Pack all of B (B(p,j) = b[p*rsB + j*csB]) into dst, in the order gemm_f32_packed reads it. */
export function gemm_f32_pack_b(k: i32, n: i32, b: usize, rsB: i32, csB: i32, dst: usize): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncPadded = (nc + NR - 1) / NR * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(kc, nc, b + (((pc * rsB + jc * csB) as usize) << 2), rsB, csB, dst + (((jc * k + pc * ncPadded) as usize) << 2));
    }
  }
}

/**
 * gemm_f32 with B already packed (by gemm_f32_pack_b for the same k and n) at `packedB`; the
 * rsB/csB slots are unused and keep the argument list of gemm_f32, so both take the same tasks.
 */
export function gemm_f32_packed(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  packedB: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32,
  scratch: usize,
): void {
  blocked(m, n, k, a, rsA, csA, packedB, rsB, csB, c, ldc, scratch, true);
}
