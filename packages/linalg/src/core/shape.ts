import { ShapeError, ValueError, formatShape } from './errors.js';

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** True when two shapes are identical. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates a shape: non-negative safe integers. */
export function checkShape(op: string, shape: readonly number[]): number[] {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(
        op,
        `invalid shape ${formatShape(shape)}: dimensions must be non-negative integers`,
      );
    }
  }
  const n = sizeOf(shape);
  if (!Number.isSafeInteger(n) || n > 2 ** 32) {
    throw new ShapeError(op, `shape ${formatShape(shape)} has too many elements (${n})`);
  }
  return [...shape];
}

/** NumPy broadcasting of several shapes: align right, dimensions must match or be 1. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = ndim - s.length + i;
      const d = s[i]!;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new ShapeError(
          op,
          `shapes ${shapes.map(formatShape).join(', ')} cannot be broadcast together (axis ${j - ndim}: ${out[j]} vs ${d}); make the dimensions equal or 1`,
        );
      }
    }
  }
  return out;
}

/** Resolves a possibly negative axis against `ndim`. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= Math.max(ndim, 1)) {
    throw new ValueError(op, `axis ${axis} is out of range for an array with ${ndim} dimensions`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Resolves an `axis` option (number, list, or undefined for all axes) to sorted unique non-negative axes.
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined | null,
  ndim: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, ndim)))].sort((a, b) => a - b);
  if (out.length !== list.length)
    throw new ValueError(op, `repeated axis in ${JSON.stringify(axis)}`);
  return out;
}

/** Shape after reducing `axes`, keeping them as size-1 dimensions when `keepdims`. */
export function reducedShape(
  shape: readonly number[],
  axes: readonly number[],
  keepdims: boolean,
): number[] {
  const set = new Set(axes);
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}
