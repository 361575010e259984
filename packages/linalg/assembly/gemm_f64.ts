// Blocked, packed float64 GEMM (BLIS loop order) with a 4×4 f64x2 register tile.
//
// C[m×n] = A·B, where A(i,p) = a[i*rsA + p*csA] and B(p,j) = b[p*rsB + j*csB] (element strides),
// so transposed operands cost nothing extra: only the packing reads them. C is row-major with row
// stride ldc and is overwritten. All pointers are byte addresses in linear memory that the host
// laid out; this module owns no memory (no static data), so several instances (one per thread)
// can share one memory safely as long as each gets its own pack buffers.
//
// Register budget: V8 on x64 gives wasm 14–15 usable xmm registers and wasm SIMD has no FMA
// (relaxed-simd is not enabled in Node 20), so each update is mul + add through a temporary.
// 4×4 f64 = 8 accumulators + 2 B vectors + 1 A broadcast + 1 temporary = 12 registers.

const MR: i32 = 4;
const NR: i32 = 4;
// Cache blocks: a KC×NR micro-panel of B (8 KiB) stays in L1, the MC×KC block of A (128 KiB)
// in L2, the KC×NC panel of B (4 MiB) in L3. Tuned on the 2-core AMD EPYC (Zen 5) CI machine.
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 2048;
// A is read in place, not packed, when C's NC block is at most DIRECT_A_MAX_N wide and one step
// of p in A is under DIRECT_A_MAX_STEP bytes (see gemm_f32.ts, blocked()); half of float32's limit,
// as 256³ TN (2 KiB steps) lost 7 % in place.
const DIRECT_A_MAX_N: i32 = 256;
const DIRECT_A_MAX_STEP: i32 = 2048;

/** Bytes the caller must reserve for `packA` / `packB` / `tile` of one gemm_f64 call (one thread). */
export function gemm_f64_scratch_bytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 3;
}

// Pack an mc×kc block of A into MR-row micro-panels: panel r holds, for each p, the MR values
// A(r*MR .. r*MR+MR-1, p) contiguously. Rows past mc are zero so the micro-kernel needs no edge case.
function packA(mc: i32, kc: i32, a: usize, rsA: i32, csA: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      const src = a + (((i0 * rsA + p * csA) as usize) << 3);
      for (let i = 0; i < MR; i++) {
        store<f64>(dst + ((i as usize) << 3), i < rows ? load<f64>(src + (((i * rsA) as usize) << 3)) : 0.0);
      }
      dst += (MR as usize) << 3;
    }
  }
}

// Pack a kc×nc block of B into NR-column micro-panels (for each p, NR values B(p, j0..j0+NR-1)).
function packB(kc: i32, nc: i32, b: usize, rsB: i32, csB: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      const src = b + (((p * rsB + j0 * csB) as usize) << 3);
      if (cols == NR && csB == 1) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let j = 0; j < NR; j++) {
          store<f64>(dst + ((j as usize) << 3), j < cols ? load<f64>(src + (((j * csB) as usize) << 3)) : 0.0);
        }
      }
      dst += (NR as usize) << 3;
    }
  }
}

// C tile (+)= A-panel · packed-B-panel over kc (fresh accumulators, so every element's sum runs in
// order of p; `accumulate` adds C's previous K block at the end). With `direct` false, pa is A
// packed by packA; with `direct` true it is A itself, rows rowA bytes apart and p steps stepA
// bytes apart (needs all MR rows to exist). `direct` is a constant at every call, so each inlined
// copy keeps only one loop. Partial tiles (mr < MR or nr < NR) go through `tile` and are copied
// element-wise.
// @ts-ignore: decorator
@inline
function micro(
  kc: i32, pa: usize, direct: bool, rowA: usize, stepA: usize,
  pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool, tile: usize,
): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  if (direct) {
    let a1 = pa + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
    const paEnd = pa + (kc as usize) * stepA;
    while (pa < paEnd) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let av = v128.load64_splat(pa);
      c00 = f64x2.add(c00, f64x2.mul(av, b0));
      c01 = f64x2.add(c01, f64x2.mul(av, b1));
      av = v128.load64_splat(a1);
      c10 = f64x2.add(c10, f64x2.mul(av, b0));
      c11 = f64x2.add(c11, f64x2.mul(av, b1));
      av = v128.load64_splat(a2);
      c20 = f64x2.add(c20, f64x2.mul(av, b0));
      c21 = f64x2.add(c21, f64x2.mul(av, b1));
      av = v128.load64_splat(a3);
      c30 = f64x2.add(c30, f64x2.mul(av, b0));
      c31 = f64x2.add(c31, f64x2.mul(av, b1));
      pa += stepA;
      a1 += stepA;
      a2 += stepA;
      a3 += stepA;
      pb += 32;
    }
  } else {
    const paEnd = pa + (((kc * MR) as usize) << 3);
    while (pa < paEnd) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let av = v128.load64_splat(pa);
      c00 = f64x2.add(c00, f64x2.mul(av, b0));
      c01 = f64x2.add(c01, f64x2.mul(av, b1));
      av = v128.load64_splat(pa, 8);
      c10 = f64x2.add(c10, f64x2.mul(av, b0));
      c11 = f64x2.add(c11, f64x2.mul(av, b1));
      av = v128.load64_splat(pa, 16);
      c20 = f64x2.add(c20, f64x2.mul(av, b0));
      c21 = f64x2.add(c21, f64x2.mul(av, b1));
      av = v128.load64_splat(pa, 24);
      c30 = f64x2.add(c30, f64x2.mul(av, b0));
      c31 = f64x2.add(c31, f64x2.mul(av, b1));
      pa += 32;
      pb += 32;
    }
  }
  const full = mr == MR && nr == NR;
  const ldb = (ldc as usize) << 3;
  let dst = full ? c : tile;
  const stride: usize = full ? ldb : 32;
  if (full && accumulate) {
    c00 = f64x2.add(c00, v128.load(dst));
    c01 = f64x2.add(c01, v128.load(dst, 16));
    c10 = f64x2.add(c10, v128.load(dst + stride));
    c11 = f64x2.add(c11, v128.load(dst + stride, 16));
    c20 = f64x2.add(c20, v128.load(dst + 2 * stride));
    c21 = f64x2.add(c21, v128.load(dst + 2 * stride, 16));
    c30 = f64x2.add(c30, v128.load(dst + 3 * stride));
    c31 = f64x2.add(c31, v128.load(dst + 3 * stride, 16));
  }
  v128.store(dst, c00);
  v128.store(dst, c01, 16);
  v128.store(dst + stride, c10);
  v128.store(dst + stride, c11, 16);
  v128.store(dst + 2 * stride, c20);
  v128.store(dst + 2 * stride, c21, 16);
  v128.store(dst + 3 * stride, c30);
  v128.store(dst + 3 * stride, c31, 16);
  if (!full) {
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < nr; j++) {
        const t = load<f64>(tile + (((i * NR + j) as usize) << 3));
        const q = c + (((i * ldc + j) as usize) << 3);
        store<f64>(q, accumulate ? load<f64>(q) + t : t);
      }
    }
  }
}

// The blocked loops. With `packed`, b points at all of B already packed by gemm_f64_pack_b (the
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
    for (let i = 0; i < m; i++) memory.fill(c + (((i * ldc) as usize) << 3), 0, (n as usize) << 3);
    return;
  }
  const bufA = scratch;
  const bufB = scratch + (((MC * KC) as usize) << 3);
  const tile = bufB + (((KC * NC) as usize) << 3);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncPadded = (nc + NR - 1) / NR * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      let panelB = bufB;
      if (packed) {
        panelB = b + (((jc * k + pc * ncPadded) as usize) << 3);
      } else {
        packB(kc, nc, b + (((pc * rsB + jc * csB) as usize) << 3), rsB, csB, bufB);
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const blockA = a + (((ic * rsA + pc * csA) as usize) << 3);
        // see gemm_f32.ts: a narrow C reads full row tiles of A in place instead of packing them
        const direct = nc <= DIRECT_A_MAX_N && csA << 3 < DIRECT_A_MAX_STEP;
        const fullRows = direct ? mc / MR * MR : 0;
        if (direct) {
          if (fullRows < mc) packA(mc - fullRows, kc, blockA + (((fullRows * rsA) as usize) << 3), rsA, csA, bufA);
        } else {
          packA(mc, kc, blockA, rsA, csA, bufA);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = panelB + (((jr * kc) as usize) << 3);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cTile = c + ((((ic + ir) * ldc + jc + jr) as usize) << 3);
            if (ir < fullRows) {
              micro(
                kc, blockA + (((ir * rsA) as usize) << 3), true, (rsA as usize) << 3, (csA as usize) << 3,
                pb, cTile, ldc, mr, nr, pc > 0, tile,
              );
            } else {
              micro(
                kc, bufA + ((((ir - fullRows) * kc) as usize) << 3), false, 0, 0,
                pb, cTile, ldc, mr, nr, pc > 0, tile,
              );
            }
          }
        }
      }
    }
  }
}

/** C[m×n] = op(A)·op(B) in float64; see the file header for the stride convention. */
export function gemm_f64(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32,
  scratch: usize,
): void {
  blocked(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, scratch, false);
}

/** Bytes of all of a k×n B packed by gemm_f64_pack_b (each NC panel's width rounded up to NR). */
export function gemm_f64_packed_b_bytes(k: i32, n: i32): i32 {
  const full = n / NC * NC;
  const rest = (n - full + NR - 1) / NR * NR;
  return ((full + rest) * k) << 3;
}

/** Pack all of B (B(p,j) = b[p*rsB + j*csB]) into dst, in the order gemm_f64_packed reads it. */
export function gemm_f64_pack_b(k: i32, n: i32, b: usize, rsB: i32, csB: i32, dst: usize): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncPadded = (nc + NR - 1) / NR * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(kc, nc, b + (((pc * rsB + jc * csB) as usize) << 3), rsB, csB, dst + (((jc * k + pc * ncPadded) as usize) << 3));
    }
  }
}

/**
 * gemm_f64 with B already packed (by gemm_f64_pack_b for the same k and n) at `packedB`; the
 * rsB/csB slots are unused and keep the argument list of gemm_f64, so both take the same tasks.
 */
export function gemm_f64_packed(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  packedB: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32,
  scratch: usize,
): void {
  blocked(m, n, k, a, rsA, csA, packedB, rsB, csB, c, ldc, scratch, true);
}
