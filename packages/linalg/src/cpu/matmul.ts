import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type FloatArray, allocTyped } from '../core/dtype.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import { dotF32, dotF64 } from '../kernels/reduce.js';
import { broadcastStrides, forEachRow } from './strided.js';

/** A row-major GEMM: C(m×n) = op(A)·op(B), overwriting C. */
export type Gemm = (
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA: boolean,
  transB: boolean,
) => void;

/** Batched matmul over broadcast leading axes, one GEMM call per output matrix. */
export function matmulCpu(
  a: BackendInput,
  b: BackendInput,
  transA: boolean,
  transB: boolean,
  out: OutputSpec,
  gemm: Gemm,
): FloatArray {
  const da = a.handle as FloatArray;
  const db = b.handle as FloatArray;
  const nd = out.shape.length;
  const m = out.shape[nd - 2]!;
  const n = out.shape[nd - 1]!;
  const k = transA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const dst = allocTyped(out.dtype, sizeOf(out.shape)) as FloatArray;
  const batchShape = out.shape.slice(0, -2);
  const matA = a.shape[a.shape.length - 2]! * a.shape[a.shape.length - 1]!;
  const matB = b.shape[b.shape.length - 2]! * b.shape[b.shape.length - 1]!;
  if (m * n === 0) return dst;
  // strides of the batch axes, measured in matrices
  const sa = broadcastStrides(a.shape.slice(0, -2), batchShape);
  const sb = broadcastStrides(b.shape.slice(0, -2), batchShape);
  const so = stridesOf(batchShape);
  // iterate batches with forEachRow over a virtual shape [...batch, 1] so every call sees one matrix
  forEachRow(
    [...batchShape, 1],
    [
      [...sa, 0],
      [...sb, 0],
      [...so, 0],
    ],
    (_o, [oa, ob, oo]) => {
      const aStart = oa! * matA;
      const bStart = ob! * matB;
      const cStart = oo! * m * n;
      if (m === 1 && n === 1) {
        // a vector dot product (1×k)·(k×1): both operands are contiguous runs of k, whatever the transposes
        const x = da.subarray(aStart, aStart + k);
        const y = db.subarray(bStart, bStart + k);
        dst[cStart] =
          x instanceof Float64Array ? dotF64(x, y as Float64Array) : dotF32(x, y as Float32Array);
        return;
      }
      gemm(
        m,
        n,
        k,
        da.subarray(aStart, aStart + matA),
        db.subarray(bStart, bStart + matB),
        dst.subarray(cStart, cStart + m * n),
        transA,
        transB,
      );
    },
  );
  return dst;
}
