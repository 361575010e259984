import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type TypedArray, allocTyped } from '../core/dtype.js';
import type { ReducePrimitive } from '../core/primitives.js';
import { stridesOf } from '../core/shape.js';
import { sumF32, sumF64 } from '../kernels/reduce.js';
import { forEachRow } from './strided.js';

type Accumulate = Exclude<ReducePrimitive, 'argmax' | 'argmin'>;

const INIT: { [P in Accumulate]: number } = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

const COMBINE: { [P in Accumulate]: (acc: number, v: number) => number } = {
  sum: (acc, v) => acc + v,
  prod: (acc, v) => acc * v,
  // NaN propagates, as in NumPy's max/min
  max: (acc, v) => (v > acc || Number.isNaN(v) ? v : acc),
  min: (acc, v) => (v < acc || Number.isNaN(v) ? v : acc),
};

/** Strides that map each input element to its output element (0 on reduced axes). */
function outputStridesFor(shape: readonly number[], axes: readonly number[]): number[] {
  const set = new Set(axes);
  const kept = shape.filter((_, i) => !set.has(i));
  const keptStrides = stridesOf(kept);
  let k = 0;
  return shape.map((_, i) => (set.has(i) ? 0 : keptStrides[k++]!));
}

/** Reduces `axes` of `x` with sum/prod/max/min (pairwise within rows for accurate float sums). */
export function reduceAxes(
  p: Accumulate,
  x: BackendInput,
  axes: readonly number[],
  out: OutputSpec,
): TypedArray {
  const src = x.handle as TypedArray;
  const size = out.shape.reduce((a, d) => a * d, 1);
  if (p === 'sum' && size === 1 && (src instanceof Float64Array || src instanceof Float32Array)) {
    // a full reduction of a contiguous float array: the wasm SIMD sum (float32 accumulated in float64)
    const dst = allocTyped(out.dtype, 1);
    dst[0] = src instanceof Float64Array ? sumF64(src) : sumF32(src);
    return dst;
  }
  const acc = new Float64Array(size).fill(INIT[p]);
  const combine = COMBINE[p];
  const outStrides = outputStridesFor(x.shape, axes);
  const inStrides = stridesOf(x.shape);
  forEachRow(x.shape, [inStrides, outStrides], (_o, [pi, po], [, so], len) => {
    let i = pi!;
    if (so === 0) {
      // the last axis is reduced: fold the whole row into one output element
      let a = acc[po!]!;
      if (p === 'sum') a += rowSum(src, i, len);
      else for (let t = 0; t < len; t++) a = combine(a, src[i + t]!);
      acc[po!] = a;
    } else {
      let q = po!;
      for (let t = 0; t < len; t++, i++, q += so!) acc[q] = combine(acc[q]!, src[i]!);
    }
  });
  const dst = allocTyped(out.dtype, size);
  dst.set(acc);
  return dst;
}

/** Pairwise summation of a contiguous run: error O(ε log n) instead of O(ε n). */
function rowSum(src: TypedArray, start: number, len: number): number {
  if (len <= 128) {
    let s = 0;
    for (let t = 0; t < len; t++) s += src[start + t]!;
    return s;
  }
  const half = len >> 1;
  return rowSum(src, start, half) + rowSum(src, start + half, len - half);
}

/** Index of the largest (argmax) or smallest (argmin) element along one axis; first occurrence, NaN wins. */
export function argReduce(p: 'argmax' | 'argmin', x: BackendInput, axis: number): Int32Array {
  const src = x.handle as TypedArray;
  const n = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, d) => a * d, 1);
  const outer = x.shape.slice(0, axis).reduce((a, d) => a * d, 1);
  const dst = allocTyped('int32', outer * inner);
  const better = p === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = src[base]!;
      let bi = 0;
      if (!Number.isNaN(best)) {
        for (let t = 1; t < n; t++) {
          const v = src[base + t * inner]!;
          if (Number.isNaN(v)) {
            bi = t;
            break;
          }
          if (better(v, best)) {
            best = v;
            bi = t;
          }
        }
      }
      dst[o * inner + j] = bi;
    }
  }
  return dst;
}
