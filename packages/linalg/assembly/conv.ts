// im2col and its adjoint col2im for one sample and one channel group, in the kernels' memory, so the
// column matrix a convolution multiplies by is written next to the GEMM that reads it (no copy of it
// through JavaScript). NCHW layout; cols has Cg·KH·KW rows and OH·OW columns:
//
//   cols(c·KH·KW + p·KW + r, i·OW + j) = x(c, i·sh − ph + p·dh, j·sw − pw + r·dw), zero outside x.
//
// Geometry arguments, in order: cg, h, w, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw (pads are the zeros
// before the first row / column; those after follow from the sizes).

// First output index j with j·stride + offset ≥ 0.
// @ts-ignore: decorator
@inline
function firstValid(out: i32, stride: i32, offset: i32): i32 {
  if (offset >= 0) return 0;
  return min(out, (-offset + stride - 1) / stride);
}

// One past the last output index j with j·stride + offset < n.
// @ts-ignore: decorator
@inline
function endValid(n: i32, out: i32, stride: i32, offset: i32): i32 {
  if (n - offset <= 0) return 0;
  return min(out, (n - offset + stride - 1) / stride);
}

// dst[0..len) += src[0..len), four lanes at a time for float32, two for float64.
// @ts-ignore: decorator
@inline
function addRun<T>(dst: usize, src: usize, len: i32): void {
  const lanes = 16 / sizeof<T>() as i32;
  let j = 0;
  for (; j + lanes <= len; j += lanes) {
    const at = (j as usize) * sizeof<T>();
    if (sizeof<T>() == 4) {
      v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
    } else {
      v128.store(dst + at, f64x2.add(v128.load(dst + at), v128.load(src + at)));
    }
  }
  for (; j < len; j++) {
    const at = (j as usize) * sizeof<T>();
    store<T>(dst + at, load<T>(dst + at) + load<T>(src + at));
  }
}

// @ts-ignore: decorator
@inline
function im2col<T>(
  x: usize, cg: i32, h: i32, w: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, cols: usize,
): void {
  const size = sizeof<T>();
  const q = (oh * ow) as usize;
  let row: usize = 0;
  for (let c = 0; c < cg; c++) {
    const plane = x + ((c * h * w) as usize) * size;
    for (let p = 0; p < kh; p++) {
      const offH = p * dh - ph;
      const i0 = firstValid(oh, sh, offH);
      const i1 = max(i0, endValid(h, oh, sh, offH));
      for (let r = 0; r < kw; r++, row++) {
        const offW = r * dw - pw;
        const j0 = firstValid(ow, sw, offW);
        const j1 = max(j0, endValid(w, ow, sw, offW));
        const base = cols + row * q * size;
        // rows of the output that read above or below x, then each valid row's margins, are zeros
        memory.fill(base, 0, ((i0 * ow) as usize) * size);
        memory.fill(base + ((i1 * ow) as usize) * size, 0, (((oh - i1) * ow) as usize) * size);
        for (let i = i0; i < i1; i++) {
          const dst = base + ((i * ow) as usize) * size;
          const src = plane + ((((i * sh + offH) * w + offW) * (size as i32)) as usize);
          memory.fill(dst, 0, (j0 as usize) * size);
          memory.fill(dst + (j1 as usize) * size, 0, ((ow - j1) as usize) * size);
          if (sw == 1) {
            memory.copy(dst + (j0 as usize) * size, src + (j0 as usize) * size, ((j1 - j0) as usize) * size);
          } else {
            for (let j = j0; j < j1; j++) {
              store<T>(dst + (j as usize) * size, load<T>(src + ((j * sw) as usize) * size));
            }
          }
        }
      }
    }
  }
}

// x(c, i·sh − ph + p·dh, j·sw − pw + r·dw) += cols(c·KH·KW + p·KW + r, i·OW + j): the adjoint of
// im2col, accumulated into x (which the caller zeroes first).
// @ts-ignore: decorator
@inline
function col2im<T>(
  cols: usize, cg: i32, h: i32, w: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, x: usize,
): void {
  const size = sizeof<T>();
  const q = (oh * ow) as usize;
  let row: usize = 0;
  for (let c = 0; c < cg; c++) {
    const plane = x + ((c * h * w) as usize) * size;
    for (let p = 0; p < kh; p++) {
      const offH = p * dh - ph;
      const i0 = firstValid(oh, sh, offH);
      const i1 = max(i0, endValid(h, oh, sh, offH));
      for (let r = 0; r < kw; r++, row++) {
        const offW = r * dw - pw;
        const j0 = firstValid(ow, sw, offW);
        const j1 = max(j0, endValid(w, ow, sw, offW));
        const base = cols + row * q * size;
        for (let i = i0; i < i1; i++) {
          const src = base + ((i * ow) as usize) * size;
          const dst = plane + ((((i * sh + offH) * w + offW) * (size as i32)) as usize);
          if (sw == 1) {
            addRun<T>(dst + (j0 as usize) * size, src + (j0 as usize) * size, j1 - j0);
          } else {
            for (let j = j0; j < j1; j++) {
              const at = dst + ((j * sw) as usize) * size;
              store<T>(at, load<T>(at) + load<T>(src + (j as usize) * size));
            }
          }
        }
      }
    }
  }
}

/** im2col of one float32 sample-group at x into cols (see the header for the geometry arguments). */
export function im2col_f32(
  x: usize, cg: i32, h: i32, w: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, cols: usize,
): void {
  im2col<f32>(x, cg, h, w, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, cols);
}

/** im2col of one float64 sample-group at x into cols. */
export function im2col_f64(
  x: usize, cg: i32, h: i32, w: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, cols: usize,
): void {
  im2col<f64>(x, cg, h, w, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, cols);
}

/** col2im of float32 cols, added into the sample-group at x. */
export function col2im_f32(
  cols: usize, cg: i32, h: i32, w: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, x: usize,
): void {
  col2im<f32>(cols, cg, h, w, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, x);
}

/** col2im of float64 cols, added into the sample-group at x. */
export function col2im_f64(
  cols: usize, cg: i32, h: i32, w: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, x: usize,
): void {
  col2im<f64>(cols, cg, h, w, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, x);
}

/** dst[0..n) += src[0..n) in float32. */
export function add_f32(dst: usize, src: usize, n: i32): void {
  addRun<f32>(dst, src, n);
}

/** dst[0..n) += src[0..n) in float64. */
export function add_f64(dst: usize, src: usize, n: i32): void {
  addRun<f64>(dst, src, n);
}
