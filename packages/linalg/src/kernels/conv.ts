/**
 * The three convolution maps (forward, its adjoint in x, its adjoint in w) as im2col + GEMM inside the
 * kernels' memory (assembly/conv.ts, gemm_f32/gemm_f64): one sample at a time is copied in, unrolled
 * there into the column matrix, multiplied by the resident filters with the worker pool, and its result
 * copied out. The column matrix (Cg·KH·KW × OH·OW, the largest operand) never crosses into JavaScript,
 * and one arena layout serves every sample and group. Each function returns false, having written
 * nothing, when the wasm kernels or the memory are unavailable; the caller then runs its TypeScript loops.
 */
import type { ConvDims } from '../core/conv-geometry.js';
import type { FloatArray } from '../core/dtype.js';
import { type GemmLayout, gemmInMemory, gemmKind, layoutGemm } from './gemm.js';
import { align16, getRuntime, type KernelRuntime } from './wasm-module.js';

/** A convolution's sizes with the derived ones every map needs. */
export interface ConvKernelPlan extends ConvDims {
  /** Input channels per group. */
  cg: number;
  /** Output channels per group. */
  og: number;
  /** Rows of the column matrix: Cg·KH·KW. */
  rows: number;
  /** Output positions OH·OW (columns of the column matrix). */
  q: number;
  /** Input positions H·W. */
  s: number;
  /** The column matrix is x itself (1×1 kernel, stride 1, no padding). */
  pointwise: boolean;
}

interface Setup {
  rt: KernelRuntime;
  bytes: 4 | 8;
  view: (ptr: number, length: number) => FloatArray;
  /** im2col / col2im of one sample-group (assembly/conv.ts), geometry bound. */
  unroll: (x: number, cols: number) => void;
  fold: (cols: number, x: number) => void;
  add: (dst: number, src: number, n: number) => void;
  layout: GemmLayout;
  /** Byte offsets of the named blocks, then the free pointer for the gemm's scratch. */
  at: Record<string, number>;
  free: number;
}

/**
 * Lay out `blocks` (name → element count) from the arena base, then the gemm's scratch for an m×n×k
 * product, and reserve it all; null when there is no runtime or the memory cannot grow that far.
 */
function setup(
  P: ConvKernelPlan,
  dtypeArray: FloatArray,
  blocks: Record<string, number>,
  m: number,
  n: number,
  k: number,
): Setup | null {
  const rt = getRuntime();
  if (!rt) return null;
  const bytes = dtypeArray instanceof Float32Array ? 4 : 8;
  const kind = gemmKind(bytes);
  const layout = layoutGemm(kind, rt, m, n, k);
  const at: Record<string, number> = {};
  let ptr = rt.base;
  for (const [name, count] of Object.entries(blocks)) {
    at[name] = ptr;
    ptr = align16(ptr + count * bytes);
  }
  if (!rt.reserve(ptr + layout.bytes)) return null;
  const ex = rt.exports;
  const im2col = bytes === 4 ? ex.im2col_f32 : ex.im2col_f64;
  const col2im = bytes === 4 ? ex.col2im_f32 : ex.col2im_f64;
  const g = [
    P.cg,
    P.h,
    P.w,
    P.kh,
    P.kw,
    P.oh,
    P.ow,
    P.strideH,
    P.strideW,
    P.padH,
    P.padW,
    P.dilationH,
    P.dilationW,
  ] as const;
  return {
    rt,
    bytes,
    view: (p, length) => kind.view(rt, p, length),
    unroll: (x, cols) => im2col(x, ...g, cols),
    fold: (cols, x) => col2im(cols, ...g, x),
    add: bytes === 4 ? ex.add_f32 : ex.add_f64,
    layout,
    at,
    free: ptr,
  };
}

/** Y = conv(X, W), Y zero-filled: per sample and group, y_ng = W_g · im2col(x_ng). */
export function convForwardWasm(
  P: ConvKernelPlan,
  X: FloatArray,
  W: FloatArray,
  Y: FloatArray,
): boolean {
  const S = setup(
    P,
    Y,
    { w: W.length, x: P.c * P.s, cols: P.pointwise ? 0 : P.rows * P.q, y: P.o * P.q },
    P.og,
    P.q,
    P.rows,
  );
  if (!S) return false;
  const { at, bytes } = S;
  S.view(at.w!, W.length).set(W);
  for (let n = 0; n < P.n; n++) {
    S.view(at.x!, P.c * P.s).set(X.subarray(n * P.c * P.s, (n + 1) * P.c * P.s));
    for (let g = 0; g < P.groups; g++) {
      const xg = at.x! + g * P.cg * P.s * bytes;
      if (!P.pointwise) S.unroll(xg, at.cols!);
      const b = P.pointwise ? xg : at.cols!;
      const wg = at.w! + g * P.og * P.rows * bytes;
      const yg = at.y! + g * P.og * P.q * bytes;
      gemmInMemory(S.rt, S.layout, [P.og, P.q, P.rows, wg, P.rows, 1, b, P.q, 1, yg, P.q, S.free]);
    }
    Y.set(S.view(at.y!, P.o * P.q), n * P.o * P.q);
  }
  return true;
}

/** X = convᵀ(Y, W), the adjoint in x: per sample and group, x_ng = col2im(W_gᵀ · y_ng). */
export function convTransposeWasm(
  P: ConvKernelPlan,
  Y: FloatArray,
  W: FloatArray,
  X: FloatArray,
): boolean {
  const S = setup(
    P,
    X,
    { w: W.length, y: P.o * P.q, cols: P.pointwise ? 0 : P.rows * P.q, x: P.c * P.s },
    P.rows,
    P.q,
    P.og,
  );
  if (!S) return false;
  const { at, bytes } = S;
  S.view(at.w!, W.length).set(W);
  for (let n = 0; n < P.n; n++) {
    S.view(at.y!, P.o * P.q).set(Y.subarray(n * P.o * P.q, (n + 1) * P.o * P.q));
    const xs = S.view(at.x!, P.c * P.s);
    if (!P.pointwise) xs.fill(0);
    for (let g = 0; g < P.groups; g++) {
      const xg = at.x! + g * P.cg * P.s * bytes;
      const wg = at.w! + g * P.og * P.rows * bytes;
      const yg = at.y! + g * P.og * P.q * bytes;
      // (rows × Og)·(Og × Q): A(i, p) = W_g[p, i]
      const c = P.pointwise ? xg : at.cols!;
      gemmInMemory(S.rt, S.layout, [P.rows, P.q, P.og, wg, 1, P.rows, yg, P.q, 1, c, P.q, S.free]);
      if (!P.pointwise) S.fold(at.cols!, xg);
    }
    X.set(S.view(at.x!, P.c * P.s), n * P.c * P.s);
  }
  return true;
}

/** W = the adjoint of conv in w: W_g = Σ_n y_ng · im2col(x_ng)ᵀ. */
export function convWeightGradWasm(
  P: ConvKernelPlan,
  X: FloatArray,
  Y: FloatArray,
  W: FloatArray,
): boolean {
  const S = setup(
    P,
    W,
    {
      x: P.c * P.s,
      y: P.o * P.q,
      cols: P.pointwise ? 0 : P.rows * P.q,
      w: W.length,
      term: P.og * P.rows,
    },
    P.og,
    P.rows,
    P.q,
  );
  if (!S) return false;
  const { at, bytes } = S;
  for (let n = 0; n < P.n; n++) {
    S.view(at.x!, P.c * P.s).set(X.subarray(n * P.c * P.s, (n + 1) * P.c * P.s));
    S.view(at.y!, P.o * P.q).set(Y.subarray(n * P.o * P.q, (n + 1) * P.o * P.q));
    for (let g = 0; g < P.groups; g++) {
      const xg = at.x! + g * P.cg * P.s * bytes;
      if (!P.pointwise) S.unroll(xg, at.cols!);
      const b = P.pointwise ? xg : at.cols!;
      const yg = at.y! + g * P.og * P.q * bytes;
      const wg = at.w! + g * P.og * P.rows * bytes;
      // (Og × Q)·(Q × rows): B(p, j) = cols[j, p]; the first sample writes W_g, the others add to it
      const dst = n === 0 ? wg : at.term!;
      gemmInMemory(S.rt, S.layout, [P.og, P.rows, P.q, yg, P.q, 1, b, 1, P.q, dst, P.rows, S.free]);
      if (n > 0) S.add(wg, at.term!, P.og * P.rows);
    }
  }
  W.set(S.view(at.w!, W.length));
  return true;
}
