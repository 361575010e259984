// Sparse matrix products on CSR storage (float64 values, int32 indptr/indices), y = A·x and Y = A·B.
//
// Each output row is one dot product over its stored entries, accumulated left to right in one
// float64 sum, i.e. in exactly the order of the TypeScript reference (CsrMatrix.matvec/matmat):
// the results are bitwise identical, whatever the split of rows between threads. spmv is bound by
// memory traffic (12 bytes of A per multiply-add plus a gather from x), so the loop is scalar;
// spmm vectorises over the k columns of B (f64x2), one fused row update per stored entry.
// Rows are independent, so a caller may run any row range [r0, r1) by offsetting indptr and y.

/** y[i] = Σ_{p ∈ [indptr[i], indptr[i+1])} data[p]·x[indices[p]] for i < m. */
export function spmv_f64(m: i32, indptr: usize, indices: usize, data: usize, x: usize, y: usize): void {
  let start = load<i32>(indptr);
  for (let i = 0; i < m; i++) {
    const end = load<i32>(indptr + (((i + 1) as usize) << 2));
    let s: f64 = 0;
    for (let p = start; p < end; p++) {
      const col = load<i32>(indices + ((p as usize) << 2));
      s += load<f64>(data + ((p as usize) << 3)) * load<f64>(x + ((col as usize) << 3));
    }
    store<f64>(y + ((i as usize) << 3), s);
    start = end;
  }
}

/** Y(m×k) = A·B for row-major B (n×k) and Y; each row of Y is Σ_p data[p]·B[indices[p], :]. */
export function spmm_f64(
  m: i32, k: i32, indptr: usize, indices: usize, data: usize, b: usize, out: usize,
): void {
  const rowBytes = (k as usize) << 3;
  let start = load<i32>(indptr);
  for (let i = 0; i < m; i++) {
    const end = load<i32>(indptr + (((i + 1) as usize) << 2));
    const o = out + (i as usize) * rowBytes;
    memory.fill(o, 0, rowBytes);
    for (let p = start; p < end; p++) {
      const a = load<f64>(data + ((p as usize) << 3));
      const av = f64x2.splat(a);
      const r = b + (load<i32>(indices + ((p as usize) << 2)) as usize) * rowBytes;
      let c = 0;
      for (; c + 2 <= k; c += 2) {
        const off = (c as usize) << 3;
        v128.store(o + off, f64x2.add(v128.load(o + off), f64x2.mul(av, v128.load(r + off))));
      }
      if (c < k) {
        const off = (c as usize) << 3;
        store<f64>(o + off, load<f64>(o + off) + a * load<f64>(r + off));
      }
    }
    start = end;
  }
}
