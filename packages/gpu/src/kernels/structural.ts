/**
 * Data-movement kernels that are not affine views: gather, scatter-add, placing a contiguous block into a
 * strided region of a larger array (pad, concat), and filling a buffer with one bit pattern.
 *
 * Index errors cannot throw from a kernel, so gather and scatter-add raise a flag in a small status buffer
 * (1 = gather, 2 = scatterAdd); the backend checks it at the next read and throws a `ValueError` there.
 */
import type { DType } from '@sciml/linalg';
import type { KernelSource } from '../exec/pipelines.js';
import { FLAT_INDEX, MAIN_1D, paramsDecl, wgslType } from './wgsl.js';

/** Status codes written to the status buffer. */
export const STATUS_GATHER_OOB = 1;
export const STATUS_SCATTER_OOB = 2;

const STATUS_DECL = '@group(0) @binding(4) var<storage, read_write> status: array<atomic<u32>, 4>;';

/** out(outer, m, inner) = x(outer, idx[j] (negative counts from the end), inner); params: total, n, m, inner. */
export function gatherKernel(dtype: DType): KernelSource {
  const t = wgslType(dtype);
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
@group(0) @binding(3) var<storage, read> idx: array<i32>;
${STATUS_DECL}
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let n = pu(1u);
  let m = pu(2u);
  let inner = pu(3u);
  let t = i % inner;
  let j = (i / inner) % m;
  let o = i / (inner * m);
  var k = idx[j];
  if (k < 0) { k = k + i32(n); }
  if (k < 0 || k >= i32(n)) {
    atomicOr(&status[0], ${STATUS_GATHER_OOB}u);
    out[i] = ${t}(0);
    return;
  }
  out[i] = x[(o * n + u32(k)) * inner + t];
}`;
  return { key: `gather|${dtype}`, name: 'gather', code };
}

/** Adds updates(outer, m, inner) into out(outer, n, inner) at idx[j] (out is zero-filled first). */
export function scatterAddKernel(dtype: DType): KernelSource {
  const t = wgslType(dtype);
  // float32 has no atomic add in WGSL: compare-and-swap on the bit pattern
  const add =
    t === 'f32'
      ? `var old = atomicLoad(&out[d]);
  loop {
    let r = atomicCompareExchangeWeak(&out[d], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`
      : `atomicAdd(&out[d], ${t === 'i32' ? 'bitcast<u32>(v)' : 'v'});`;
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> upd: array<${t}>;
@group(0) @binding(3) var<storage, read> idx: array<i32>;
${STATUS_DECL}
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let n = pu(1u);
  let m = pu(2u);
  let inner = pu(3u);
  let t = i % inner;
  let j = (i / inner) % m;
  let o = i / (inner * m);
  var k = idx[j];
  if (k < 0) { k = k + i32(n); }
  if (k < 0 || k >= i32(n)) {
    atomicOr(&status[0], ${STATUS_SCATTER_OOB}u);
    return;
  }
  let d = (o * n + u32(k)) * inner + t;
  let v = upd[i];
  ${add}
}`;
  return { key: `scatterAdd|${dtype}`, name: 'scatterAdd', code };
}

/**
 * Writes a contiguous block x of rank R into out at `base + Σ c_d · outStrides_d`.
 * Params: total, then R dims of x, R output strides, base.
 */
export function placeKernel(rank: number, rows: number): KernelSource {
  const lines = ['var rem = i;', `var d = pu(${1 + 2 * rank}u);`];
  for (let k = rank - 1; k >= 0; k--) {
    lines.push(`d += (rem % pu(${1 + k}u)) * pu(${1 + rank + k}u);`);
    if (k > 0) lines.push(`rem = rem / pu(${1 + k}u);`);
  }
  const code = `${paramsDecl(rows)}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  ${lines.join('\n  ')}
  out[d] = x[i];
}`;
  return { key: `place|${rank}|${rows}`, name: 'place', code };
}

/** Fills `count` 32-bit words with one pattern (used to poison outputs in tests). Params: count, bits. */
export function fillKernel(): KernelSource {
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  out[i] = pu(1u);
}`;
  return { key: 'fill', name: 'fill', code };
}
