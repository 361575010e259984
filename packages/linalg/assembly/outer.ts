// Rows of an outer product: out[r·n + j] = a[r]·b[j] for r < rows, j < n, at byte addresses a (rows values),
// b (n values) and out (rows·n values). One rounding per product, as JavaScript's multiply of two stored
// elements (a product of two float32 values is exact in float64, so rounding it to float32 once equals
// f32x4.mul), so results are bitwise those of the TypeScript loop.

/** float32 rows of a·bᵀ. */
export function outer_rows_f32(a: usize, b: usize, out: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const x = load<f32>(a + ((r as usize) << 2));
    const xv = f32x4.splat(x);
    const o = out + (((r * n) as usize) << 2);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const q = b + ((j as usize) << 2);
      const p = o + ((j as usize) << 2);
      v128.store(p, f32x4.mul(xv, v128.load(q)));
      v128.store(p, f32x4.mul(xv, v128.load(q, 16)), 16);
    }
    for (; j < n; j++) store<f32>(o + ((j as usize) << 2), x * load<f32>(b + ((j as usize) << 2)));
  }
}

/** float64 rows of a·bᵀ. */
export function outer_rows_f64(a: usize, b: usize, out: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const x = load<f64>(a + ((r as usize) << 3));
    const xv = f64x2.splat(x);
    const o = out + (((r * n) as usize) << 3);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = b + ((j as usize) << 3);
      const p = o + ((j as usize) << 3);
      v128.store(p, f64x2.mul(xv, v128.load(q)));
      v128.store(p, f64x2.mul(xv, v128.load(q, 16)), 16);
    }
    for (; j < n; j++) store<f64>(o + ((j as usize) << 3), x * load<f64>(b + ((j as usize) << 3)));
  }
}
