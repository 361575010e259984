/**
 * Sum and dot product of contiguous typed arrays with the wasm SIMD kernels (assembly/reduce.ts),
 * accumulated in float64 for both dtypes. Short arrays stay in TypeScript, where the call and
 * copy would cost more than the loop.
 */
import { ShapeError } from '../core/errors.js';
import { CHUNK, chunkSlots, copyIn } from './chunked.js';
import type { FloatArray } from '../core/dtype.js';
import { getPlainRuntime } from './wasm-module.js';

/** Below this length the plain loop is faster than copy + wasm call (measured: ~64). */
export const REDUCE_MIN_LENGTH = 64;

/** Σ x[i] with one float64 accumulator, left to right (the reference). */
export function sumReference(x: FloatArray): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** Σ x[i]·y[i] with one float64 accumulator, left to right (the reference). */
export function dotReference(x: FloatArray, y: FloatArray): number {
  checkSameLength('dot', x, y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function checkSameLength(op: string, x: FloatArray, y: FloatArray): void {
  if (x.length !== y.length) {
    throw new ShapeError(op, `x and y must have the same length, got ${x.length} and ${y.length}.`);
  }
}

function sumWasm(x: FloatArray): number {
  const rt = x.length < REDUCE_MIN_LENGTH ? null : getPlainRuntime();
  const bytes = x instanceof Float64Array ? 8 : 4;
  const slots = rt ? chunkSlots(rt, 1, bytes) : null;
  if (!rt || !slots) return sumReference(x);
  const kernel = bytes === 8 ? rt.exports.sum_f64 : rt.exports.sum_f32;
  let s = 0;
  for (let start = 0; start < x.length; start += CHUNK) {
    const len = Math.min(CHUNK, x.length - start);
    copyIn(rt, x, start, len, slots[0]!);
    s += kernel(slots[0]!, len);
  }
  return s;
}

function dotWasm(op: string, x: FloatArray, y: FloatArray): number {
  checkSameLength(op, x, y);
  const rt = x.length < REDUCE_MIN_LENGTH ? null : getPlainRuntime();
  const bytes = x instanceof Float64Array ? 8 : 4;
  const slots = rt ? chunkSlots(rt, 2, bytes) : null;
  if (!rt || !slots) return dotReference(x, y);
  const kernel = bytes === 8 ? rt.exports.dot_f64 : rt.exports.dot_f32;
  let s = 0;
  for (let start = 0; start < x.length; start += CHUNK) {
    const len = Math.min(CHUNK, x.length - start);
    copyIn(rt, x, start, len, slots[0]!);
    copyIn(rt, y, start, len, slots[1]!);
    s += kernel(slots[0]!, slots[1]!, len);
  }
  return s;
}

/** Σ x[i] of a Float64Array (WebAssembly SIMD, eight partial sums). */
export function sumF64(x: Float64Array): number {
  return sumWasm(x);
}

/** Σ x[i] of a Float32Array, accumulated in float64. */
export function sumF32(x: Float32Array): number {
  return sumWasm(x);
}

/** Σ x[i]·y[i] of two Float64Arrays of equal length. */
export function dotF64(x: Float64Array, y: Float64Array): number {
  return dotWasm('dotF64', x, y);
}

/** Σ x[i]·y[i] of two Float32Arrays of equal length, products and sum in float64. */
export function dotF32(x: Float32Array, y: Float32Array): number {
  return dotWasm('dotF32', x, y);
}
