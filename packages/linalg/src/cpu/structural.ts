import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type TypedArray, allocTyped } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import { broadcastStrides, forEachRow } from './strided.js';

function alloc(out: OutputSpec): TypedArray {
  return allocTyped(out.dtype, sizeOf(out.shape));
}

/** Copies `src` read through `strides` (starting at `start`) into a fresh contiguous array of `out.shape`. */
export function gatherStrided(
  src: TypedArray,
  start: number,
  strides: readonly number[],
  out: OutputSpec,
): TypedArray {
  const dst = alloc(out);
  forEachRow(out.shape, [strides], (o, [off], [s], len) => {
    let p = start + off!;
    for (let i = 0; i < len; i++, p += s!) dst[o + i] = src[p]!;
  });
  return dst;
}

/** Transposes each (rows × cols) matrix of a batch in 32×32 tiles, so both sides are read and written in cache lines. */
function batchedMatrixTranspose(
  src: TypedArray,
  dst: TypedArray,
  batch: number,
  rows: number,
  cols: number,
): void {
  const TILE = 32;
  const mat = rows * cols;
  for (let b = 0; b < batch; b++) {
    const off = b * mat;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        for (let i = i0; i < i1; i++) {
          const from = off + i * cols;
          for (let j = j0; j < j1; j++) dst[off + j * rows + i] = src[from + j]!;
        }
      }
    }
  }
}

/** Permutes axes: output axis i is input axis perm[i]. */
export function transposeCpu(
  x: BackendInput,
  perm: readonly number[],
  out: OutputSpec,
): TypedArray {
  const nd = perm.length;
  const swapsLastTwo =
    nd >= 2 &&
    perm[nd - 2] === nd - 1 &&
    perm[nd - 1] === nd - 2 &&
    perm.slice(0, -2).every((a, i) => a === i);
  if (swapsLastTwo) {
    // the common case (matrix and batched-matrix transposes) gets a cache-blocked loop
    const dst = alloc(out);
    const rows = x.shape[nd - 2]!;
    const cols = x.shape[nd - 1]!;
    batchedMatrixTranspose(
      x.handle as TypedArray,
      dst,
      x.size / Math.max(rows * cols, 1),
      rows,
      cols,
    );
    return dst;
  }
  const inStrides = stridesOf(x.shape);
  return gatherStrided(
    x.handle as TypedArray,
    0,
    perm.map((a) => inStrides[a]!),
    out,
  );
}

/** Materialises a broadcast. */
export function broadcastCpu(x: BackendInput, out: OutputSpec): TypedArray {
  return gatherStrided(x.handle as TypedArray, 0, broadcastStrides(x.shape, out.shape), out);
}

/** Strided slice: element i of axis k comes from starts[k] + i·steps[k]. */
export function sliceCpu(
  x: BackendInput,
  starts: readonly number[],
  steps: readonly number[],
  out: OutputSpec,
): TypedArray {
  const inStrides = stridesOf(x.shape);
  let start = 0;
  for (let k = 0; k < x.shape.length; k++) start += starts[k]! * inStrides[k]!;
  return gatherStrided(
    x.handle as TypedArray,
    start,
    inStrides.map((s, k) => s * steps[k]!),
    out,
  );
}

/** Zero padding: the input lands at offset `before` on each axis. */
export function padCpu(x: BackendInput, before: readonly number[], out: OutputSpec): TypedArray {
  const dst = alloc(out);
  const src = x.handle as TypedArray;
  const outStrides = stridesOf(out.shape);
  let base = 0;
  for (let k = 0; k < before.length; k++) base += before[k]! * outStrides[k]!;
  // walk the input rows and scatter each into the output
  forEachRow(x.shape, [outStrides], (o, [off], [s], len) => {
    let q = base + off!;
    for (let i = 0; i < len; i++, q += s!) dst[q] = src[o + i]!;
  });
  return dst;
}

/** Runs shorter than this are copied element by element: a `subarray` view per run costs more than it saves. */
const SHORT_RUN = 32;

/** dst[to … to+len) = src[from … from+len) (same element type). */
function copyRun(dst: TypedArray, to: number, src: TypedArray, from: number, len: number): void {
  if (len < SHORT_RUN) {
    for (let i = 0; i < len; i++) dst[to + i] = src[from + i]!;
  } else {
    dst.set(src.subarray(from, from + len), to);
  }
}

/** Concatenation along `axis`. */
export function concatCpu(
  inputs: readonly BackendInput[],
  axis: number,
  out: OutputSpec,
): TypedArray {
  const dst = alloc(out);
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  const rowOut = out.shape[axis]! * inner;
  let offset = 0;
  for (const x of inputs) {
    const src = x.handle as TypedArray;
    const rowIn = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) copyRun(dst, o * rowOut + offset, src, o * rowIn, rowIn);
    offset += rowIn;
  }
  return dst;
}

function checkIndex(op: string, i: number, n: number): number {
  const k = i < 0 ? i + n : i;
  if (k < 0 || k >= n)
    throw new ValueError(op, `index ${i} is out of bounds for an axis of size ${n}`);
  return k;
}

/** `take` along `axis` with int32 indices (negative indices count from the end). */
export function gatherCpu(
  x: BackendInput,
  idx: BackendInput,
  axis: number,
  out: OutputSpec,
): TypedArray {
  const dst = alloc(out);
  const src = x.handle as TypedArray;
  const ind = idx.handle as Int32Array;
  const n = x.shape[axis]!;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  let q = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < ind.length; j++) {
      const k = checkIndex('gather', ind[j]!, n);
      const from = (o * n + k) * inner;
      copyRun(dst, q, src, from, inner);
      q += inner;
    }
  }
  return dst;
}

/** Adds slices of `updates` into zeros at the positions `idx` along `axis` (repeated indices accumulate). */
export function scatterAddCpu(
  u: BackendInput,
  idx: BackendInput,
  axis: number,
  out: OutputSpec,
): TypedArray {
  const dst = alloc(out);
  const src = u.handle as TypedArray;
  const ind = idx.handle as Int32Array;
  const n = out.shape[axis]!;
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  let p = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < ind.length; j++) {
      const k = checkIndex('scatterAdd', ind[j]!, n);
      const to = (o * n + k) * inner;
      for (let t = 0; t < inner; t++) dst[to + t]! += src[p + t]!;
      p += inner;
    }
  }
  return dst;
}
