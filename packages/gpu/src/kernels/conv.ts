/**
 * Direct convolution kernels (NCHW activations, OIHW filters, cross-correlation as in deep-learning
 * libraries; 1-D runs as height 1), one thread per output element, for the three convolution primitives —
 * the three partial maps of T(x, w, y) = Σ y[n,o,i,j] · x[n, g·Cg + c, i·s_h − pad_h + p·d_h,
 * j·s_w − pad_w + q·d_w] · w[o, c, p, q] (g = o / Og the group of o):
 *
 *   conv           y[n,o,i,j] = Σ_{c,p,q} x[…] · w[o,c,p,q]
 *   convTranspose  x[n,g·Cg+c,h,v] = Σ_{o in group g, p, q : h = i·s_h − pad_h + p·d_h, …} y[n,o,i,j] · w[o,c,p,q]
 *   convWeightGrad w[o,c,p,q] = Σ_{n,i,j} y[n,o,i,j] · x[…]
 *
 * Parameters (all kernels): N, C, H, W, O, KH, KW, OH, OW, stride h/w, pad h/w (before), dilation h/w, groups.
 */
import type { ConvDims, PoolDims } from '@sciml/linalg';
import type { KernelSource } from '../exec/pipelines.js';
import { FLAT_INDEX, MAIN_1D, Params, paramsDecl } from './wgsl.js';

const DIMS = `
  let N = pu(0u); let C = pu(1u); let H = pu(2u); let W = pu(3u);
  let O = pu(4u); let KH = pu(5u); let KW = pu(6u); let OH = pu(7u); let OW = pu(8u);
  let SH = i32(pu(9u)); let SW = i32(pu(10u)); let PH = i32(pu(11u)); let PW = i32(pu(12u));
  let DH = i32(pu(13u)); let DW = i32(pu(14u)); let G = pu(15u);
  let CG = C / G; let OG = O / G;`;

const BINDINGS = `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;`;

/** The 16 parameter words of a convolution kernel. */
export function convParams(d: ConvDims): Params {
  const p = new Params();
  for (const v of [d.n, d.c, d.h, d.w, d.o, d.kh, d.kw, d.oh, d.ow]) p.u32(v);
  for (const v of [d.strideH, d.strideW, d.padH, d.padW, d.dilationH, d.dilationW, d.groups])
    p.u32(v);
  return p;
}

/** y = conv(x = a, w = b). */
export function convKernel(): KernelSource {
  const code = `${paramsDecl(4)}
${BINDINGS}
${MAIN_1D} {
  ${FLAT_INDEX}
  ${DIMS}
  if (i >= N * O * OH * OW) { return; }
  let j = i % OW; let oi = (i / OW) % OH; let o = (i / (OW * OH)) % O; let n = i / (OW * OH * O);
  let c0 = (o / OG) * CG;
  var acc = 0.0;
  for (var c = 0u; c < CG; c++) {
    for (var p = 0u; p < KH; p++) {
      let h = i32(oi) * SH - PH + i32(p) * DH;
      if (h < 0 || h >= i32(H)) { continue; }
      for (var q = 0u; q < KW; q++) {
        let w = i32(j) * SW - PW + i32(q) * DW;
        if (w < 0 || w >= i32(W)) { continue; }
        acc = fma(a[((n * C + c0 + c) * H + u32(h)) * W + u32(w)], b[((o * CG + c) * KH + p) * KW + q], acc);
      }
    }
  }
  out[i] = acc;
}`;
  return { key: 'conv', name: 'conv', code };
}

/** x = convTranspose(y = a, w = b): each input pixel gathers the outputs it contributed to. */
export function convTransposeKernel(): KernelSource {
  const code = `${paramsDecl(4)}
${BINDINGS}
${MAIN_1D} {
  ${FLAT_INDEX}
  ${DIMS}
  if (i >= N * C * H * W) { return; }
  let x = i32(i % W); let y = i32((i / W) % H); let c = (i / (W * H)) % C; let n = i / (W * H * C);
  let o0 = (c / CG) * OG; let cl = c % CG;
  var acc = 0.0;
  for (var o = o0; o < o0 + OG; o++) {
    for (var p = 0u; p < KH; p++) {
      let t = y + PH - i32(p) * DH; // = oi · SH
      if (t < 0 || t % SH != 0 || t / SH >= i32(OH)) { continue; }
      let oi = u32(t / SH);
      for (var q = 0u; q < KW; q++) {
        let s = x + PW - i32(q) * DW;
        if (s < 0 || s % SW != 0 || s / SW >= i32(OW)) { continue; }
        let oj = u32(s / SW);
        acc = fma(a[((n * O + o) * OH + oi) * OW + oj], b[((o * CG + cl) * KH + p) * KW + q], acc);
      }
    }
  }
  out[i] = acc;
}`;
  return { key: 'convTranspose', name: 'convTranspose', code };
}

/** w = convWeightGrad(x = a, y = b). */
export function convWeightGradKernel(): KernelSource {
  const code = `${paramsDecl(4)}
${BINDINGS}
${MAIN_1D} {
  ${FLAT_INDEX}
  ${DIMS}
  if (i >= O * CG * KH * KW) { return; }
  let q = i % KW; let p = (i / KW) % KH; let cl = (i / (KW * KH)) % CG; let o = i / (KW * KH * CG);
  let c = (o / OG) * CG + cl;
  var acc = 0.0;
  for (var n = 0u; n < N; n++) {
    for (var oi = 0u; oi < OH; oi++) {
      let h = i32(oi) * SH - PH + i32(p) * DH;
      if (h < 0 || h >= i32(H)) { continue; }
      for (var oj = 0u; oj < OW; oj++) {
        let w = i32(oj) * SW - PW + i32(q) * DW;
        if (w < 0 || w >= i32(W)) { continue; }
        acc = fma(a[((n * C + c) * H + u32(h)) * W + u32(w)], b[((n * O + o) * OH + oi) * OW + oj], acc);
      }
    }
  }
  out[i] = acc;
}`;
  return { key: 'convWeightGrad', name: 'convWeightGrad', code };
}

const POOL_DIMS = `
  let PLANES = pu(0u); let H = pu(1u); let W = pu(2u); let OH = pu(3u); let OW = pu(4u);
  let KH = i32(pu(5u)); let KW = i32(pu(6u)); let SH = i32(pu(7u)); let SW = i32(pu(8u));
  let PH = i32(pu(9u)); let PW = i32(pu(10u));
  if (i >= PLANES * OH * OW) { return; }
  let j = i32(i % OW); let oi = i32((i / OW) % OH); let plane = i / (OW * OH);
  let base = plane * H * W;
  let h0 = oi * SH - PH; let w0 = j * SW - PW;
  let p0 = u32(max(h0, 0)); let p1 = u32(min(h0 + KH, i32(H)));
  let r0 = u32(max(w0, 0)); let r1 = u32(min(w0 + KW, i32(W)));`;

/** The parameter words of a pooling kernel (`flag` = countIncludePad for the mean). */
export function poolParams(d: PoolDims, flag = false): Params {
  const p = new Params();
  for (const v of [
    d.planes,
    d.h,
    d.w,
    d.oh,
    d.ow,
    d.kh,
    d.kw,
    d.strideH,
    d.strideW,
    d.padH,
    d.padW,
  ])
    p.u32(v);
  return p.u32(flag ? 1 : 0);
}

/** Window maxima (binding 1) and the flat index of the first maximum (binding 3); NaN wins. */
export function maxPoolKernel(): KernelSource {
  const code = `${paramsDecl(3)}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> idx: array<i32>;
fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
${MAIN_1D} {
  ${FLAT_INDEX}
  ${POOL_DIMS}
  var at = base + p0 * W + r0;
  var best = x[at];
  var done = is_nan(best);
  for (var p = p0; p < p1 && !done; p++) {
    for (var r = r0; r < r1; r++) {
      let k = base + p * W + r;
      let v = x[k];
      if (is_nan(v)) { best = v; at = k; done = true; break; }
      if (v > best) { best = v; at = k; }
    }
  }
  out[i] = best;
  idx[i] = i32(at);
}`;
  return { key: 'maxPool', name: 'maxPool', code };
}

/** Window means; the divisor counts padding when parameter 11 is 1. */
export function avgPoolKernel(): KernelSource {
  const code = `${paramsDecl(3)}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${MAIN_1D} {
  ${FLAT_INDEX}
  ${POOL_DIMS}
  var s = 0.0;
  for (var p = p0; p < p1; p++) {
    for (var r = r0; r < r1; r++) { s += x[base + p * W + r]; }
  }
  let count = select(f32((p1 - p0) * (r1 - r0)), f32(KH * KW), pu(11u) == 1u);
  out[i] = s / count;
}`;
  return { key: 'avgPool', name: 'avgPool', code };
}
