/**
 * Batching for the CPU routines: every routine kernel works on one float64 row-major matrix at a time;
 * this file walks the (broadcast) leading axes, copies each input matrix into a fresh Float64Array (float32
 * inputs are computed in float64) and writes the kernel's results into outputs of the requested dtype.
 */
import type { BackendInput, OutputSpec } from '../../backend/backend.js';
import { type TypedArray, allocTyped } from '../../core/dtype.js';
import { NotFiniteError, formatShape } from '../../core/errors.js';
import { sizeOf } from '../../core/shape.js';
import { broadcastStrides } from '../../cpu/strided.js';

/** One matrix handed to a kernel: a private row-major float64 copy the kernel may overwrite. */
export interface Mat {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** What a kernel returns: one array per output, each holding exactly the output's core elements. */
export type KernelResult = ArrayLike<number>[];

/**
 * Runs `kernel` once per matrix of the batch. Inputs are matrices (last two axes); their leading axes are
 * broadcast to the outputs' leading axes. `outCoreDims[j]` is the number of trailing axes of output `j` that
 * belong to one matrix's result (2 for a matrix, 1 for a vector of eigenvalues or a permutation).
 */
export function runBatched(
  op: string,
  inputs: readonly BackendInput[],
  outputs: readonly OutputSpec[],
  outCoreDims: readonly number[],
  kernel: (mats: Mat[]) => KernelResult,
): TypedArray[] {
  const first = outputs[0]!;
  const batchShape = first.shape.slice(0, first.shape.length - outCoreDims[0]!);
  const batch = sizeOf(batchShape);
  // a single matrix's float64 results are adopted as they come from the kernel (see `adoptable`); the
  // others are allocated on first use and filled by copying
  const results: (TypedArray | undefined)[] = outputs.map(() => undefined);
  const coreSizes = outputs.map((o, j) => sizeOf(o.shape.slice(o.shape.length - outCoreDims[j]!)));
  const matStrides = inputs.map((x) => broadcastStrides(x.shape.slice(0, -2), batchShape));
  const batchStrides = batchShape.map((_, i) => sizeOf(batchShape.slice(i + 1)));
  for (let b = 0; b < batch; b++) {
    const mats = inputs.map((x, i) => {
      const rows = x.shape[x.shape.length - 2]!;
      const cols = x.shape[x.shape.length - 1]!;
      // offset (in elements) of matrix b of input i, through broadcasting
      let matIndex = 0;
      let rest = b;
      for (let ax = 0; ax < batchShape.length; ax++) {
        const k = Math.floor(rest / batchStrides[ax]!);
        rest -= k * batchStrides[ax]!;
        matIndex += k * matStrides[i]![ax]!;
      }
      const src = x.handle as TypedArray;
      const data = new Float64Array(rows * cols);
      const start = matIndex * rows * cols;
      // one native copy (converting float32 and integer inputs): an element loop over a handle of any
      // dtype is polymorphic, ~10 ns per element, and dominated tall-skinny QR
      data.set(src.subarray(start, start + rows * cols));
      return { data, rows, cols };
    });
    for (let i = 0; i < mats.length; i++) checkFinite(op, mats[i]!, inputs[i]!.shape);
    const out = kernel(mats);
    for (let j = 0; j < outputs.length; j++) {
      const src = out[j]!;
      const n = coreSizes[j]!;
      if (batch === 1 && outputs[j]!.dtype === 'float64' && adoptable(src, n, results)) {
        results[j] = src;
        continue;
      }
      results[j] ??= allocTyped(outputs[j]!.dtype, sizeOf(outputs[j]!.shape));
      const dst = results[j]!;
      const off = b * n;
      if (ArrayBuffer.isView(src)) {
        const view = src as TypedArray;
        dst.set(view.length === n ? view : view.subarray(0, n), off);
      } else {
        for (let e = 0; e < n; e++) dst[off + e] = src[e]!;
      }
    }
  }
  // an empty batch never reached the loop
  return results.map((r, j) => r ?? allocTyped(outputs[j]!.dtype, sizeOf(outputs[j]!.shape)));
}

/**
 * Whether a kernel's result can become the output's storage without a copy: a Float64Array of exactly `n`
 * elements that owns its whole (non-shared) buffer — not a view into the wasm memory or another array —
 * and is not already another output. Copying a large result into a fresh array costs as much as the
 * O(mn²) tall-skinny QR itself (page faults on the new buffer).
 */
function adoptable(
  src: ArrayLike<number>,
  n: number,
  taken: readonly unknown[],
): src is Float64Array {
  return (
    src instanceof Float64Array &&
    src.length === n &&
    src.byteOffset === 0 &&
    src.buffer.byteLength === src.byteLength &&
    !(typeof SharedArrayBuffer !== 'undefined' && src.buffer instanceof SharedArrayBuffer) &&
    !taken.includes(src)
  );
}

/** Throws `NotFiniteError` when a matrix holds NaN or ±Infinity (factorisations would spread it silently). */
export function checkFinite(op: string, m: Mat, shape: readonly number[]): void {
  const d = m.data;
  for (let e = 0; e < d.length; e++) {
    if (!Number.isFinite(d[e]!)) {
      const i = Math.floor(e / m.cols);
      throw new NotFiniteError(
        op,
        `input ${formatShape(shape)} holds ${d[e]} at row ${i}, column ${e - i * m.cols}; remove NaN/Infinity first`,
      );
    }
  }
}
