/**
 * Building blocks of the rules, all made of public @sciml/linalg ops (so rules differentiate again) and
 * constants created on the operands' backend (so rules run on any backend).
 */
import {
  type DType,
  type NDArray,
  bind,
  fromTypedArray,
  full,
  reshape,
  shapesEqual,
  sizeOf,
  stridesOf,
  sum,
} from '@sciml/linalg';

/** Zeros with the shape, dtype and backend of `x`. */
export function zerosLike(x: NDArray): NDArray {
  return full(x.shape, 0, { dtype: x.dtype as 'float64', backend: x.backend });
}

/** Ones with the shape, dtype and backend of `x`. */
export function onesLike(x: NDArray): NDArray {
  return full(x.shape, 1, { dtype: x.dtype as 'float64', backend: x.backend });
}

/** A constant array on `like`'s backend from host values (masks, one-hot vectors), with `dtype`. */
export function constant(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  like: NDArray,
): NDArray {
  const data =
    dtype === 'float64'
      ? new Float64Array(values)
      : dtype === 'float32'
        ? new Float32Array(values)
        : dtype === 'int32'
          ? new Int32Array(values)
          : new Uint8Array(values);
  return fromTypedArray(data, shape, { backend: like.backend });
}

/**
 * The transpose of NumPy broadcasting: sums `ct` over the axes along which an operand of `shape` was
 * broadcast (leading axes, and axes where the operand had size 1), so the result has `shape`.
 */
export function unbroadcast(ct: NDArray, shape: readonly number[]): NDArray {
  if (shapesEqual(ct.shape, shape)) return ct;
  const lead = ct.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < ct.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && ct.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? sum(ct, { axis: axes, keepdims: true }) : ct;
  return reshape(summed, shape);
}

/** `t` broadcast to `shape` (a tangent of a smaller operand of a broadcasting op). */
export function broadcastTo(t: NDArray, shape: readonly number[]): NDArray {
  return shapesEqual(t.shape, shape) ? t : bind('broadcastTo', [t], { shape: [...shape] })[0]!;
}

/** `t`, or zeros shaped like `like` when `t` is null. */
export function orZeros(t: NDArray | null, like: NDArray): NDArray {
  return t ?? zerosLike(like);
}

/** Sum of two optional terms (null = zero). */
export function addOpt(
  a: NDArray | null,
  b: NDArray | null,
  add: (x: NDArray, y: NDArray) => NDArray,
): NDArray | null {
  if (a === null) return b;
  if (b === null) return a;
  return add(a, b);
}

/** The shape of a reduction's output with the reduced axes kept as size 1. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  const set = new Set(axes);
  return shape.map((d, i) => (set.has(i) ? 1 : d));
}

/** Row-major flat input index of every element of a strided slice (the scatter positions of its VJP). */
export function sliceFlatIndices(
  shape: readonly number[],
  starts: readonly number[],
  steps: readonly number[],
  lengths: readonly number[],
): Int32Array {
  const strides = stridesOf(shape);
  const out = new Int32Array(sizeOf(lengths));
  const idx = new Array<number>(lengths.length).fill(0);
  for (let n = 0; n < out.length; n++) {
    let flat = 0;
    for (let k = 0; k < lengths.length; k++)
      flat += (starts[k]! + idx[k]! * steps[k]!) * strides[k]!;
    out[n] = flat;
    for (let k = lengths.length - 1; k >= 0; k--) {
      if (++idx[k]! < lengths[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}
