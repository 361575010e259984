/**
 * Strided iteration helpers for the CPU backend's reference loops: broadcasting two or three operands and
 * walking permuted views with an odometer over the outer axes and a tight loop over the last axis.
 */
import { stridesOf } from '../core/shape.js';

/** Strides of `inShape` seen through broadcasting to `outShape` (0 on broadcast axes). */
export function broadcastStrides(
  inShape: readonly number[],
  outShape: readonly number[],
): number[] {
  const strides = stridesOf(inShape);
  const out = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < inShape.length; i++) out[offset + i] = inShape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/**
 * Calls `inner(outStart, offsets, innerLength, innerStrides)` once per row of the last axis of `outShape`,
 * where `offsets[j]` is the start of that row in operand j (addressed by `operandStrides[j]`).
 */
export function forEachRow(
  outShape: readonly number[],
  operandStrides: readonly (readonly number[])[],
  inner: (
    outStart: number,
    offsets: readonly number[],
    innerStrides: readonly number[],
    length: number,
  ) => void,
): void {
  const ndim = outShape.length;
  const nOps = operandStrides.length;
  if (ndim === 0) {
    inner(0, new Array<number>(nOps).fill(0), new Array<number>(nOps).fill(0), 1);
    return;
  }
  const length = outShape[ndim - 1]!;
  const innerStrides = operandStrides.map((s) => s[ndim - 1]!);
  let rows = 1;
  for (let i = 0; i < ndim - 1; i++) rows *= outShape[i]!;
  if (rows === 0 || length === 0) return;
  const counter = new Array<number>(ndim - 1).fill(0);
  const offsets = new Array<number>(nOps).fill(0);
  for (let r = 0; r < rows; r++) {
    inner(r * length, offsets, innerStrides, length);
    // advance the odometer over the outer axes
    for (let ax = ndim - 2; ax >= 0; ax--) {
      counter[ax]!++;
      for (let j = 0; j < nOps; j++) offsets[j]! += operandStrides[j]![ax]!;
      if (counter[ax]! < outShape[ax]!) break;
      for (let j = 0; j < nOps; j++) offsets[j]! -= operandStrides[j]![ax]! * outShape[ax]!;
      counter[ax] = 0;
    }
  }
}
