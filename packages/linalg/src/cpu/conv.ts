/**
 * Convolutions on the CPU as im2col + GEMM (the wasm SIMD GEMM does the arithmetic). For one sample n and
 * one channel group g, the patches of x_ng are unrolled into a matrix cols (Cg·KH·KW × OH·OW), and
 *
 *   conv:           y_ng = W_g · cols                        (Og × Cg·KH·KW)·(Cg·KH·KW × OH·OW)
 *   convTranspose:  x_ng = col2im(W_gᵀ · y_ng)               the adjoint: scatter the columns back, adding
 *   convWeightGrad: W_g  = Σ_n y_ng · colsᵀ                  the adjoint in W
 *
 * A pointwise geometry (1×1 kernel, stride 1, no padding) needs no unrolling: cols is x_ng itself. A
 * depthwise one (one input channel and fewer than DIRECT_MAX_OG output channels per group) runs as direct
 * loops instead: its GEMMs would be 1 × KH·KW outer products, all call overhead. One input channel with many
 * outputs (the first layer of an image CNN: 1 → 16 channels) is a real GEMM and goes through it. 1-D convolutions run as 2-D ones of height 1 (see `convDims`).
 * With the default (wasm) gemm, im2col/col2im and the products run inside the kernels' memory
 * (kernels/conv.ts); the TypeScript loops here serve a swapped-in gemm and engines without wasm.
 */
import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type ConvDims, convDims } from '../core/conv-geometry.js';
import { type FloatArray, allocTyped } from '../core/dtype.js';
import type { ConvParams } from '../core/primitives.js';
import { sizeOf } from '../core/shape.js';
import { gemm as wasmGemm } from '../kernels/gemm.js';
import {
  type ConvKernelPlan,
  convForwardWasm,
  convTransposeWasm,
  convWeightGradWasm,
} from '../kernels/conv.js';
import type { Gemm } from './matmul.js';

type Plan = ConvKernelPlan;

function plan(d: ConvDims): Plan {
  const cg = d.c / d.groups;
  const pointwise =
    d.kh === 1 &&
    d.kw === 1 &&
    d.strideH === 1 &&
    d.strideW === 1 &&
    d.padH === 0 &&
    d.padW === 0 &&
    d.oh === d.h &&
    d.ow === d.w;
  return {
    ...d,
    cg,
    og: d.o / d.groups,
    rows: cg * d.kh * d.kw,
    q: d.oh * d.ow,
    s: d.h * d.w,
    pointwise,
  };
}

/** First and one-past-last output index j whose input j·stride − pad + tap lies in [0, n). */
function validRange(n: number, out: number, stride: number, offset: number): [number, number] {
  // j·stride + offset ≥ 0  and  j·stride + offset < n
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(out, Math.ceil((n - offset) / stride));
  return [lo, Math.max(lo, hi)];
}

/** cols(c·KH·KW + p·KW + r, i·OW + j) = x(c, i·sh − ph + p·dh, j·sw − pw + r·dw), zero outside. */
function im2col(x: FloatArray, P: Plan, cols: FloatArray): void {
  const { cg, h, w, kh, kw, oh, ow, strideH, strideW, padH, padW, dilationH, dilationW } = P;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const plane = c * h * w;
    for (let p = 0; p < kh; p++) {
      const offH = p * dilationH - padH;
      const [i0, i1] = validRange(h, oh, strideH, offH);
      for (let r = 0; r < kw; r++, row++) {
        const offW = r * dilationW - padW;
        const [j0, j1] = validRange(w, ow, strideW, offW);
        const base = row * oh * ow;
        cols.fill(0, base, base + oh * ow);
        for (let i = i0; i < i1; i++) {
          const src = plane + (i * strideH + offH) * w + offW;
          const dst = base + i * ow;
          for (let j = j0; j < j1; j++) cols[dst + j] = x[src + j * strideW]!;
        }
      }
    }
  }
}

/** The adjoint of im2col: x(c, i·sh − ph + p·dh, j·sw − pw + r·dw) += cols(…); x is accumulated into. */
function col2im(cols: FloatArray, P: Plan, x: FloatArray): void {
  const { cg, h, w, kh, kw, oh, ow, strideH, strideW, padH, padW, dilationH, dilationW } = P;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const plane = c * h * w;
    for (let p = 0; p < kh; p++) {
      const offH = p * dilationH - padH;
      const [i0, i1] = validRange(h, oh, strideH, offH);
      for (let r = 0; r < kw; r++, row++) {
        const offW = r * dilationW - padW;
        const [j0, j1] = validRange(w, ow, strideW, offW);
        const base = row * oh * ow;
        for (let i = i0; i < i1; i++) {
          const dst = plane + (i * strideH + offH) * w + offW;
          const src = base + i * ow;
          for (let j = j0; j < j1; j++) x[dst + j * strideW]! += cols[src + j]!;
        }
      }
    }
  }
}

/**
 * The three maps for one input channel per group (depthwise, any channel multiplier), as direct loops over
 * the taps: for output channel o (group g = o / Og, input channel g) and tap (p, q), every output position
 * (i, j) pairs y[n,o,i,j] with x[n, g, i·sh − ph + p·dh, j·sw − pw + q·dw] and w[o, 0, p, q]. `visit` gets
 * the flat offsets of the first x and y elements of a run of output positions along j and the run length.
 */
function forEachDepthwiseRun(
  P: Plan,
  visit: (xAt: number, yAt: number, wAt: number, length: number) => void,
): void {
  const { h, w, kh, kw, oh, ow, strideH, padH, padW, dilationH, dilationW, strideW } = P;
  for (let n = 0; n < P.n; n++) {
    for (let o = 0; o < P.o; o++) {
      const xPlane = (n * P.c + Math.floor(o / P.og)) * h * w;
      const yPlane = (n * P.o + o) * oh * ow;
      for (let p = 0; p < kh; p++) {
        const offH = p * dilationH - padH;
        const [i0, i1] = validRange(h, oh, strideH, offH);
        for (let r = 0; r < kw; r++) {
          const offW = r * dilationW - padW;
          const [j0, j1] = validRange(w, ow, strideW, offW);
          if (j1 <= j0) continue;
          const wAt = (o * kh + p) * kw + r;
          for (let i = i0; i < i1; i++) {
            visit(
              xPlane + (i * strideH + offH) * w + j0 * strideW + offW,
              yPlane + i * ow + j0,
              wAt,
              j1 - j0,
            );
          }
        }
      }
    }
  }
}

function depthwiseConv(X: FloatArray, W: FloatArray, Y: FloatArray, P: Plan): void {
  const sw = P.strideW;
  forEachDepthwiseRun(P, (xAt, yAt, wAt, length) => {
    const v = W[wAt]!;
    for (let j = 0; j < length; j++) Y[yAt + j]! += v * X[xAt + j * sw]!;
  });
}

function depthwiseConvTranspose(Y: FloatArray, W: FloatArray, X: FloatArray, P: Plan): void {
  const sw = P.strideW;
  forEachDepthwiseRun(P, (xAt, yAt, wAt, length) => {
    const v = W[wAt]!;
    for (let j = 0; j < length; j++) X[xAt + j * sw]! += v * Y[yAt + j]!;
  });
}

function depthwiseWeightGrad(X: FloatArray, Y: FloatArray, W: FloatArray, P: Plan): void {
  const sw = P.strideW;
  forEachDepthwiseRun(P, (xAt, yAt, wAt, length) => {
    let acc = 0;
    for (let j = 0; j < length; j++) acc += X[xAt + j * sw]! * Y[yAt + j]!;
    W[wAt]! += acc;
  });
}

const block = (a: FloatArray, start: number, length: number) => a.subarray(start, start + length);

/** Below this many output channels per group, a one-input-channel group runs as direct loops. */
const DIRECT_MAX_OG = 4;

/** Whether the direct (depthwise) loops beat im2col + GEMM: one input channel and few outputs per group. */
function direct(P: Plan): boolean {
  return P.cg === 1 && P.og < DIRECT_MAX_OG;
}

/** y = conv(x, w): (N, C, ...S) ⋆ (O, C/groups, ...K) → (N, O, ...Q). */
export function convCpu(
  x: BackendInput,
  w: BackendInput,
  out: OutputSpec,
  params: ConvParams,
  gemm: Gemm,
): FloatArray {
  const P = plan(convDims(x.shape, w.shape, out.shape, params));
  const X = x.handle as FloatArray;
  const W = w.handle as FloatArray;
  const Y = allocTyped(out.dtype, sizeOf(out.shape)) as FloatArray;
  if (P.rows === 0 || P.q === 0 || P.og === 0) return Y;
  if (direct(P)) {
    depthwiseConv(X, W, Y, P);
    return Y;
  }
  // the default gemm: im2col and the products inside the kernels' memory (a swapped-in gemm runs below)
  if (gemm === wasmGemm && convForwardWasm(P, X, W, Y)) return Y;
  const cols = P.pointwise ? null : (allocTyped(out.dtype, P.rows * P.q) as FloatArray);
  for (let n = 0; n < P.n; n++) {
    for (let g = 0; g < P.groups; g++) {
      const xs = block(X, (n * P.c + g * P.cg) * P.s, P.cg * P.s);
      if (cols) im2col(xs, P, cols);
      const Wg = block(W, g * P.og * P.rows, P.og * P.rows);
      const Yg = block(Y, (n * P.o + g * P.og) * P.q, P.og * P.q);
      gemm(P.og, P.q, P.rows, Wg, cols ?? xs, Yg, false, false);
    }
  }
  return Y;
}

/** x = convTranspose(y, w): the adjoint of conv in x, (N, O, ...Q) → (N, C, ...S). */
export function convTransposeCpu(
  y: BackendInput,
  w: BackendInput,
  out: OutputSpec,
  params: ConvParams,
  gemm: Gemm,
): FloatArray {
  const P = plan(convDims(out.shape, w.shape, y.shape, params));
  const Y = y.handle as FloatArray;
  const W = w.handle as FloatArray;
  const X = allocTyped(out.dtype, sizeOf(out.shape)) as FloatArray;
  if (P.rows === 0 || P.q === 0 || P.og === 0) return X;
  if (direct(P)) {
    depthwiseConvTranspose(Y, W, X, P);
    return X;
  }
  if (gemm === wasmGemm && convTransposeWasm(P, Y, W, X)) return X;
  const cols = P.pointwise ? null : (allocTyped(out.dtype, P.rows * P.q) as FloatArray);
  for (let n = 0; n < P.n; n++) {
    for (let g = 0; g < P.groups; g++) {
      const Yg = block(Y, (n * P.o + g * P.og) * P.q, P.og * P.q);
      const Wg = block(W, g * P.og * P.rows, P.og * P.rows);
      const xs = block(X, (n * P.c + g * P.cg) * P.s, P.cg * P.s);
      // W_gᵀ · y_ng: (rows × Og)·(Og × Q)
      gemm(P.rows, P.q, P.og, Wg, Yg, cols ?? xs, true, false);
      if (cols) col2im(cols, P, xs);
    }
  }
  return X;
}

/** w = convWeightGrad(x, y): the adjoint of conv in w, giving (O, C/groups, ...K). */
export function convWeightGradCpu(
  x: BackendInput,
  y: BackendInput,
  out: OutputSpec,
  params: ConvParams,
  gemm: Gemm,
): FloatArray {
  const P = plan(convDims(x.shape, out.shape, y.shape, params));
  const X = x.handle as FloatArray;
  const Y = y.handle as FloatArray;
  const W = allocTyped(out.dtype, sizeOf(out.shape)) as FloatArray;
  if (P.rows === 0 || P.og === 0 || P.n === 0 || P.q === 0) return W;
  if (direct(P)) {
    depthwiseWeightGrad(X, Y, W, P);
    return W;
  }
  if (gemm === wasmGemm && convWeightGradWasm(P, X, Y, W)) return W;
  const cols = P.pointwise ? null : (allocTyped(out.dtype, P.rows * P.q) as FloatArray);
  const term = P.n > 1 ? (allocTyped(out.dtype, P.og * P.rows) as FloatArray) : null;
  for (let g = 0; g < P.groups; g++) {
    const Wg = block(W, g * P.og * P.rows, P.og * P.rows);
    for (let n = 0; n < P.n; n++) {
      const xs = block(X, (n * P.c + g * P.cg) * P.s, P.cg * P.s);
      if (cols) im2col(xs, P, cols);
      const Yg = block(Y, (n * P.o + g * P.og) * P.q, P.og * P.q);
      // y_ng · colsᵀ: (Og × Q)·(Q × rows); the first sample writes W_g, the others add to it
      const dst = n === 0 ? Wg : term!;
      gemm(P.og, P.rows, P.q, Yg, cols ?? xs, dst, false, true);
      if (n > 0) for (let i = 0; i < dst.length; i++) Wg[i]! += dst[i]!;
    }
  }
  return W;
}
