import { assertNDArray } from '../core/validate.js';
import { bind } from '../core/dispatch.js';
import { ShapeError, ValueError, formatShape, withOpName } from '../core/errors.js';
import { NDArray } from '../core/ndarray.js';
import {
  broadcastShapes,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
} from '../core/shape.js';
import { fromTypedArray } from './creation.js';
import { isComplex, promoteTypes } from '../core/dtype.js';
import { castComplex, viaRealView } from './complex.js';

/** Gives `x` a new shape with the same elements; one dimension may be −1 (inferred). */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  const inferred = shape.indexOf(-1);
  let target = [...shape];
  if (inferred >= 0) {
    if (shape.indexOf(-1, inferred + 1) >= 0)
      throw new ShapeError('reshape', 'only one dimension can be -1');
    const known = sizeOf(shape.filter((_, i) => i !== inferred));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        'reshape',
        `cannot reshape ${formatShape(x.shape)} into ${formatShape(shape)}`,
      );
    }
    target = shape.map((d, i) => (i === inferred ? x.size / known : d));
  }
  if (shapesEqual(target, x.shape)) return x;
  if (isComplex(x.dtype))
    return viaRealView(x, (v) => bind('reshape', [v], { shape: [...target, 2] })[0]!);
  return bind('reshape', [x], { shape: target })[0]!;
}

/** Flattens to one dimension (row-major). */
export function ravel(x: NDArray): NDArray {
  return reshape(x, [x.size]);
}

/** Permutes axes (`numpy.transpose`); with no `perm`, reverses them. */
export function transpose(x: NDArray, perm?: readonly number[]): NDArray {
  const p = perm
    ? perm.map((a) => normalizeAxis('transpose', a, x.ndim))
    : [...x.shape.keys()].reverse();
  if (p.every((a, i) => a === i)) return x;
  if (isComplex(x.dtype))
    return viaRealView(x, (v) => bind('transpose', [v], { perm: [...p, p.length] })[0]!);
  return bind('transpose', [x], { perm: p })[0]!;
}

/** Alias of `transpose` with an explicit permutation (PyTorch's `permute`). */
export function permute(x: NDArray, perm: readonly number[]): NDArray {
  return transpose(x, perm);
}

/** Swaps the last two axes (matrix transpose of a batch). */
export function mT(x: NDArray): NDArray {
  if (x.ndim < 2)
    throw new ShapeError('mT', `needs at least 2 dimensions, got ${formatShape(x.shape)}`);
  const perm = [...x.shape.keys()];
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [perm[x.ndim - 1]!, perm[x.ndim - 2]!];
  return transpose(x, perm);
}

/** Broadcasts to `shape` (NumPy rules), materialising the result. */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  if (shapesEqual(x.shape, shape)) return x;
  if (isComplex(x.dtype))
    return viaRealView(x, (v) => bind('broadcastTo', [v], { shape: [...shape, 2] })[0]!);
  return bind('broadcastTo', [x], { shape: [...shape] })[0]!;
}

/** Broadcasts several arrays against each other. */
export function broadcastArrays(...xs: NDArray[]): NDArray[] {
  const shape = broadcastShapes('broadcastArrays', ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastTo(x, shape));
}

/** Inserts a size-1 axis at `axis`. */
export function expandDims(x: NDArray, axis: number): NDArray {
  const a = normalizeAxis('expandDims', axis, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes (all of them, or the given ones, which must have size 1). */
export function squeeze(x: NDArray, axis?: number | readonly number[]): NDArray {
  const axes =
    axis === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes('squeeze', axis, x.ndim);
  for (const a of axes) {
    if (x.shape[a] !== 1)
      throw new ShapeError('squeeze', `axis ${a} has size ${x.shape[a]}, not 1`);
  }
  const set = new Set(axes);
  return reshape(
    x,
    x.shape.filter((_, i) => !set.has(i)),
  );
}

/** One axis of a slice: an index (drops the axis), `null` (everything), a `'start:stop:step'` string, or a range object. */
export type SliceSpec = number | null | string | { start?: number; stop?: number; step?: number };

function parseSliceString(op: string, s: string): { start?: number; stop?: number; step?: number } {
  const parts = s.split(':');
  if (parts.length < 1 || parts.length > 3)
    throw new ValueError(op, `bad slice '${s}'; use 'start:stop:step'`);
  const num = (t: string | undefined): number | undefined => {
    if (t === undefined || t.trim() === '') return undefined;
    if (!/^\s*-?\d+\s*$/.test(t))
      throw new ValueError(op, `bad slice '${s}'; bounds must be integers`);
    return Number(t);
  };
  if (parts.length === 1) {
    const i = num(parts[0]);
    if (i === undefined) throw new ValueError(op, `bad slice '${s}'`);
    return { start: i, stop: i === -1 ? undefined : i + 1, step: 1 };
  }
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** Resolves Python slice semantics for one axis of length n: returns start, step and the number of elements. */
export function resolveRange(
  op: string,
  n: number,
  r: { start?: number; stop?: number; step?: number },
): { start: number; step: number; length: number } {
  const step = r.step ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new ValueError(op, `slice step must be a non-zero integer, got ${step}`);
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let start: number;
  let stop: number;
  if (step > 0) {
    start = r.start === undefined ? 0 : clamp(r.start < 0 ? r.start + n : r.start, 0, n);
    stop = r.stop === undefined ? n : clamp(r.stop < 0 ? r.stop + n : r.stop, 0, n);
  } else {
    start = r.start === undefined ? n - 1 : clamp(r.start < 0 ? r.start + n : r.start, -1, n - 1);
    stop = r.stop === undefined ? -1 : clamp(r.stop < 0 ? r.stop + n : r.stop, -1, n - 1);
  }
  const length = Math.max(0, Math.ceil((stop - start) / step));
  return { start: length === 0 ? 0 : start, step, length };
}

const RANGE_KEYS = new Set(['start', 'stop', 'step']);

/**
 * Rejects what TypeScript would have caught for a plain-JS caller: a spec that is not an integer, null, a
 * string or a `{ start, stop, step }` object of integers (an array such as `[0, -1]` would otherwise read as
 * an empty range object and silently select the whole axis).
 */
function checkSliceSpec(op: string, spec: unknown, axis: number): void {
  const usage = `each spec is an integer index, null (the whole axis), a 'start:stop:step' string or { start, stop, step }; e.g. '0:-1' or { start: 0, stop: -1 }`;
  if (spec === null || typeof spec === 'number' || typeof spec === 'string') return;
  if (
    typeof spec !== 'object' ||
    Array.isArray(spec) ||
    Object.getPrototypeOf(spec) !== Object.prototype
  ) {
    throw new ValueError(
      op,
      `spec ${axis} is ${Array.isArray(spec) ? `the array ${JSON.stringify(spec)}` : `${typeof spec} ${String(spec)}`}; ${usage}`,
    );
  }
  for (const [key, value] of Object.entries(spec)) {
    if (!RANGE_KEYS.has(key))
      throw new ValueError(op, `spec ${axis} has an unknown key '${key}'; ${usage}`);
    if (value !== undefined && !Number.isInteger(value))
      throw new ValueError(
        op,
        `spec ${axis}: ${key} must be an integer, got ${String(value)}; ${usage}`,
      );
  }
}

/**
 * NumPy-style basic indexing: one spec per leading axis (missing trailing axes are taken whole).
 * @example `slice(a, 0, '1:5:2', null)` is `a[0, 1:5:2, :]`; `slice(v, '::-1')` reverses a vector.
 */
export function slice(x: NDArray, ...specs: SliceSpec[]): NDArray {
  assertNDArray('slice', x, 'x');
  specs.forEach((spec, axis) => {
    checkSliceSpec('slice', spec, axis);
  });
  if (specs.length > x.ndim) {
    throw new ShapeError(
      'slice',
      `${specs.length} indices for an array of shape ${formatShape(x.shape)}`,
    );
  }
  const starts: number[] = [];
  const steps: number[] = [];
  const lengths: number[] = [];
  const dropped: number[] = [];
  x.shape.forEach((n, axis) => {
    const spec = specs[axis] ?? null;
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec) || spec < -n || spec >= n) {
        throw new ValueError(
          'slice',
          `index ${spec} is out of bounds for axis ${axis} with size ${n}`,
        );
      }
      starts.push(spec < 0 ? spec + n : spec);
      steps.push(1);
      lengths.push(1);
      dropped.push(axis);
      return;
    }
    const range =
      spec === null ? {} : typeof spec === 'string' ? parseSliceString('slice', spec) : spec;
    const r = resolveRange('slice', n, range);
    starts.push(r.start);
    steps.push(r.step);
    lengths.push(r.length);
  });
  const whole = lengths.every((l, i) => l === x.shape[i] && steps[i] === 1);
  const out = whole
    ? x
    : isComplex(x.dtype)
      ? viaRealView(
          x,
          (v) =>
            bind('slice', [v], {
              starts: [...starts, 0],
              steps: [...steps, 1],
              lengths: [...lengths, 2],
            })[0]!,
        )
      : bind('slice', [x], { starts, steps, lengths })[0]!;
  return dropped.length > 0 ? squeeze(out, dropped) : out;
}

/** The axis option of `concat`, `stack` and `split`. */
export interface AxisOptions {
  /** Axis to join or split along (negative counts from the end; default 0). */
  axis?: number;
}

/** The axis of an `AxisOptions` (a bare number, the old positional form, is refused with the fix). */
function axisOf(op: string, options: AxisOptions): number {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(
      op,
      `the axis goes in an options object: ${op}(…, { axis: ${String(options)} }), not ${op}(…, ${String(options)})`,
    );
  }
  return options.axis ?? 0;
}

/** Joins arrays along an existing axis, like `numpy.concatenate`: `concat([a, b], { axis: 1 })`. */
export function concat(xs: readonly NDArray[], options: AxisOptions = {}): NDArray {
  if (xs.length === 0) throw new ValueError('concat', 'needs at least one array');
  const a = normalizeAxis('concat', axisOf('concat', options), xs[0]!.ndim);
  if (xs.length === 1) return xs[0]!;
  if (xs.some((x) => isComplex(x.dtype))) {
    const dtype = xs.map((x) => x.dtype).reduce(promoteTypes);
    const views = xs.map((x) => bind('viewAsReal', [castComplex(x, dtype)], {})[0]!);
    return bind('viewAsComplex', [bind('concat', views, { axis: a })[0]!], {})[0]!;
  }
  return bind('concat', xs, { axis: a })[0]!;
}

/** Joins arrays of one shape along a new axis, like `numpy.stack`: `stack([a, b], { axis: 1 })`. */
export function stack(xs: readonly NDArray[], options: AxisOptions = {}): NDArray {
  if (xs.length === 0) throw new ValueError('stack', 'needs at least one array');
  const first = xs[0]!;
  for (const x of xs) {
    if (!shapesEqual(x.shape, first.shape)) {
      throw new ShapeError(
        'stack',
        `all arrays must have one shape, got ${xs.map((v) => formatShape(v.shape)).join(', ')}`,
      );
    }
  }
  const a = normalizeAxis('stack', axisOf('stack', options), first.ndim + 1);
  return concat(
    xs.map((x) => expandDims(x, a)),
    { axis: a },
  );
}

/**
 * Splits along `axis` into `sections` equal parts, or at the given indices (`numpy.split`):
 * `split(x, 3, { axis: 1 })`.
 */
export function split(
  x: NDArray,
  sections: number | readonly number[],
  options: AxisOptions = {},
): NDArray[] {
  const a = normalizeAxis('split', axisOf('split', options), x.ndim);
  const n = x.shape[a]!;
  let cuts: number[];
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new ValueError(
        'split',
        `axis ${a} of size ${n} cannot be split into ${sections} equal parts`,
      );
    }
    cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * n) / sections);
  } else cuts = [...sections];
  const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c, 0), n)), n];
  return bounds.slice(0, -1).map((start, i) => {
    const specs: SliceSpec[] = x.shape.map(() => null);
    specs[a] = { start, stop: Math.max(start, bounds[i + 1]!) };
    return slice(x, ...specs);
  });
}

/** Indices as an int32 array stored on `like`'s backend (plain lists are uploaded there, not to the default backend). */
function toIndexArray(op: string, indices: NDArray | readonly number[], like: NDArray): NDArray {
  if (indices instanceof NDArray) {
    if (indices.dtype !== 'int32')
      throw new ValueError(op, `indices must be int32, got ${indices.dtype}`);
    return indices;
  }
  for (const i of indices)
    if (!Number.isInteger(i)) throw new ValueError(op, `indices must be integers, got ${i}`);
  return fromTypedArray(Int32Array.from(indices), [indices.length], { backend: like.backend });
}

/** Gathers elements along `axis` (flattened when omitted), like `numpy.take`; negative indices count from the end. */
export function take(x: NDArray, indices: NDArray | readonly number[], axis?: number): NDArray {
  const idx = toIndexArray('take', indices, x);
  return withOpName('take', () =>
    axis === undefined
      ? bind('gather', [ravel(x), idx], { axis: 0 })[0]!
      : bind('gather', [x, idx], { axis: normalizeAxis('take', axis, x.ndim) })[0]!,
  );
}

/** Adds `updates` into a zero array of `shape` at `indices` along `axis` (repeated indices accumulate). */
export function scatterAdd(
  updates: NDArray,
  indices: NDArray | readonly number[],
  shape: readonly number[],
  axis = 0,
): NDArray {
  const a = normalizeAxis('scatterAdd', axis, shape.length);
  return bind('scatterAdd', [updates, toIndexArray('scatterAdd', indices, updates)], {
    axis: a,
    shape: [...shape],
  })[0]!;
}

/** Zero-pads each axis with `[before, after]` elements. */
export function pad(x: NDArray, widths: readonly (readonly [number, number])[]): NDArray {
  if (widths.length !== x.ndim) {
    throw new ShapeError(
      'pad',
      `needs one [before, after] pair per axis (${x.ndim}), got ${widths.length}`,
    );
  }
  for (const [b, a] of widths) {
    if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) {
      throw new ValueError('pad', 'pad widths must be non-negative integers');
    }
  }
  return bind('pad', [x], { before: widths.map((w) => w[0]), after: widths.map((w) => w[1]) })[0]!;
}
