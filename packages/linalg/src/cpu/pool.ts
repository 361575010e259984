/**
 * Max and average pooling on the CPU, direct loops over each (N·C) plane (1-D runs as height 1). Padding is
 * implicit: −∞ for max (it never wins), zeros for the mean (counted in the divisor only when asked).
 */
import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { poolDims } from '../core/conv-geometry.js';
import { type FloatArray, allocTyped } from '../core/dtype.js';
import type { PoolParams } from '../core/primitives.js';
import { sizeOf } from '../core/shape.js';

/** Window maxima and the flat index into x of the first maximum of each window (NaN wins and propagates). */
export function maxPoolCpu(
  x: BackendInput,
  out: OutputSpec,
  params: PoolParams,
): [FloatArray, Int32Array] {
  const d = poolDims(x.shape, out.shape, params);
  const X = x.handle as FloatArray;
  const Y = allocTyped(out.dtype, sizeOf(out.shape)) as FloatArray;
  const I = new Int32Array(Y.length);
  let o = 0;
  for (let plane = 0; plane < d.planes; plane++) {
    const base = plane * d.h * d.w;
    for (let i = 0; i < d.oh; i++) {
      const h0 = i * d.strideH - d.padH;
      const p0 = Math.max(0, h0);
      const p1 = Math.min(d.h, h0 + d.kh);
      for (let j = 0; j < d.ow; j++, o++) {
        const w0 = j * d.strideW - d.padW;
        const r0 = Math.max(0, w0);
        const r1 = Math.min(d.w, w0 + d.kw);
        let best = X[base + p0 * d.w + r0]!;
        let at = base + p0 * d.w + r0;
        scan: for (let p = p0; p < p1; p++) {
          for (let r = r0; r < r1; r++) {
            const k = base + p * d.w + r;
            const v = X[k]!;
            // !(v <= best) is true for a larger value and for NaN, which then stays
            if (!(v <= best)) {
              best = v;
              at = k;
              if (Number.isNaN(v)) break scan;
            }
          }
        }
        Y[o] = best;
        I[o] = at;
      }
    }
  }
  return [Y, I];
}

/** Window means; the divisor is the window size, or the count of real (unpadded) elements. */
export function avgPoolCpu(
  x: BackendInput,
  out: OutputSpec,
  params: PoolParams & { countIncludePad: boolean },
): FloatArray {
  const d = poolDims(x.shape, out.shape, params);
  const X = x.handle as FloatArray;
  const Y = allocTyped(out.dtype, sizeOf(out.shape)) as FloatArray;
  let o = 0;
  for (let plane = 0; plane < d.planes; plane++) {
    const base = plane * d.h * d.w;
    for (let i = 0; i < d.oh; i++) {
      const h0 = i * d.strideH - d.padH;
      const p0 = Math.max(0, h0);
      const p1 = Math.min(d.h, h0 + d.kh);
      for (let j = 0; j < d.ow; j++, o++) {
        const w0 = j * d.strideW - d.padW;
        const r0 = Math.max(0, w0);
        const r1 = Math.min(d.w, w0 + d.kw);
        let s = 0;
        for (let p = p0; p < p1; p++) for (let r = r0; r < r1; r++) s += X[base + p * d.w + r]!;
        Y[o] = s / (params.countIncludePad ? d.kh * d.kw : (p1 - p0) * (r1 - r0));
      }
    }
  }
  return Y;
}
