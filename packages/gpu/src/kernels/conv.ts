/**
 * Direct 2-D convolution kernels (NCHW activations, OIHW filters; cross-correlation as in deep-learning
 * libraries) and the two building blocks of its gradients, each one thread per output element:
 *
 *   y[n,o,i,j]  = Σ_{c,p,q} x[n, c, i·s_h − pad_h + p·d_h, j·s_w − pad_w + q·d_w] · w[o,c,p,q]
 *   dx[n,c,h,w] = Σ_{o,p,q : h = i·s_h − pad_h + p·d_h, ...} dy[n,o,i,j] · w[o,c,p,q]   (backprop to input)
 *   dw[o,c,p,q] = Σ_{n,i,j} dy[n,o,i,j] · x[n, c, i·s_h − pad_h + p·d_h, j·s_w − pad_w + q·d_w]  (to filter)
 *
 * Parameters (all kernels): N, C, H, W, O, KH, KW, OH, OW, stride h/w, pad h/w, dilation h/w.
 */
import type { KernelSource } from '../exec/pipelines.js';
import { FLAT_INDEX, MAIN_1D, paramsDecl } from './wgsl.js';

const DIMS = `
  let N = pu(0u); let C = pu(1u); let H = pu(2u); let W = pu(3u);
  let O = pu(4u); let KH = pu(5u); let KW = pu(6u); let OH = pu(7u); let OW = pu(8u);
  let SH = i32(pu(9u)); let SW = i32(pu(10u)); let PH = i32(pu(11u)); let PW = i32(pu(12u));
  let DH = i32(pu(13u)); let DW = i32(pu(14u));`;

const BINDINGS = `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;`;

/** y = conv2d(x = a, w = b). */
export function conv2dKernel(): KernelSource {
  const code = `${paramsDecl(4)}
${BINDINGS}
${MAIN_1D} {
  ${FLAT_INDEX}
  ${DIMS}
  if (i >= N * O * OH * OW) { return; }
  let j = i % OW; let oi = (i / OW) % OH; let o = (i / (OW * OH)) % O; let n = i / (OW * OH * O);
  var acc = 0.0;
  for (var c = 0u; c < C; c++) {
    for (var p = 0u; p < KH; p++) {
      let h = i32(oi) * SH - PH + i32(p) * DH;
      if (h < 0 || h >= i32(H)) { continue; }
      for (var q = 0u; q < KW; q++) {
        let w = i32(j) * SW - PW + i32(q) * DW;
        if (w < 0 || w >= i32(W)) { continue; }
        acc = fma(a[((n * C + c) * H + u32(h)) * W + u32(w)], b[((o * C + c) * KH + p) * KW + q], acc);
      }
    }
  }
  out[i] = acc;
}`;
  return { key: 'conv2d', name: 'conv2d', code };
}

/** dx = conv2d input gradient (dy = a, w = b): each input pixel gathers the outputs it contributed to. */
export function conv2dBackpropInputKernel(): KernelSource {
  const code = `${paramsDecl(4)}
${BINDINGS}
${MAIN_1D} {
  ${FLAT_INDEX}
  ${DIMS}
  if (i >= N * C * H * W) { return; }
  let x = i32(i % W); let y = i32((i / W) % H); let c = (i / (W * H)) % C; let n = i / (W * H * C);
  var acc = 0.0;
  for (var o = 0u; o < O; o++) {
    for (var p = 0u; p < KH; p++) {
      let t = y + PH - i32(p) * DH; // = oi · SH
      if (t < 0 || t % SH != 0 || t / SH >= i32(OH)) { continue; }
      let oi = u32(t / SH);
      for (var q = 0u; q < KW; q++) {
        let s = x + PW - i32(q) * DW;
        if (s < 0 || s % SW != 0 || s / SW >= i32(OW)) { continue; }
        let oj = u32(s / SW);
        acc = fma(a[((n * O + o) * OH + oi) * OW + oj], b[((o * C + c) * KH + p) * KW + q], acc);
      }
    }
  }
  out[i] = acc;
}`;
  return { key: 'conv2d_backprop_input', name: 'conv2d_backprop_input', code };
}

/** dw = conv2d filter gradient (x = a, dy = b). */
export function conv2dBackpropFilterKernel(): KernelSource {
  const code = `${paramsDecl(4)}
${BINDINGS}
${MAIN_1D} {
  ${FLAT_INDEX}
  ${DIMS}
  if (i >= O * C * KH * KW) { return; }
  let q = i % KW; let p = (i / KW) % KH; let c = (i / (KW * KH)) % C; let o = i / (KW * KH * C);
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
  return { key: 'conv2d_backprop_filter', name: 'conv2d_backprop_filter', code };
}

/** Softmax or log-sum-exp along the middle axis of a contiguous (outer, n, inner) array, one thread per line. */
export function softmaxKernel(kind: 'softmax' | 'logsumexp' | 'logSoftmax'): KernelSource {
  const write =
    kind === 'logsumexp'
      ? 'out[o * inner + t] = m + log(s);'
      : kind === 'softmax'
        ? 'for (var k = 0u; k < n; k++) { out[base + k * inner] = exp(x[base + k * inner] - m) / s; }'
        : 'let l = m + log(s);\n  for (var k = 0u; k < n; k++) { out[base + k * inner] = x[base + k * inner] - l; }';
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${MAIN_1D} {
  ${FLAT_INDEX}
  let lines = pu(0u);
  let n = pu(1u);
  let inner = pu(2u);
  if (i >= lines) { return; }
  let o = i / inner;
  let t = i % inner;
  let base = o * n * inner + t;
  // max first, so exp never overflows: softmax(x) = exp(x − m) / Σ exp(x − m)
  var m = x[base];
  for (var k = 1u; k < n; k++) { m = max(m, x[base + k * inner]); }
  var s = 0.0;
  for (var k = 0u; k < n; k++) { s += exp(x[base + k * inner] - m); }
  ${write}
}`;
  return { key: `softmax|${kind}`, name: kind, code };
}
