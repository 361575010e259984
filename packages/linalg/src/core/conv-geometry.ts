/**
 * Shape rules of the convolution and pooling primitives, shared by shape inference, the public ops (which
 * call them first so errors name the op the user called) and the backends (which read the lifted 2-D
 * dimensions). Arrays are channels-first: (N, C, ...spatial) with one or two spatial axes; a 1-D problem is
 * run as a 2-D one of height 1.
 */
import type { OutputSpec } from '../backend/backend.js';
import { type DType, isFloat } from './dtype.js';
import { DTypeError, ShapeError, ValueError, formatShape } from './errors.js';
import type { ConvParams, PoolParams } from './primitives.js';

/** Output length of one spatial axis: ⌊(n + lo + hi − d·(k − 1) − 1) / s⌋ + 1 (may be ≤ 0: no window fits). */
export function convOutputLength(
  n: number,
  k: number,
  stride: number,
  pad: readonly [number, number],
  dilation: number,
): number {
  return Math.floor((n + pad[0] + pad[1] - dilation * (k - 1) - 1) / stride) + 1;
}

function positiveInts(op: string, name: string, v: readonly number[], rank: number, min: number) {
  if (v.length !== rank || !v.every((x) => Number.isInteger(x) && x >= min)) {
    throw new ValueError(
      op,
      `${name} must be ${rank} integer(s) ≥ ${min} (one per spatial axis), got ${JSON.stringify(v)}`,
    );
  }
}

function checkPadding(op: string, padding: ConvParams['padding'], rank: number): void {
  const ok =
    padding.length === rank &&
    padding.every((p) => p.length === 2 && p.every((x) => Number.isInteger(x) && x >= 0));
  if (!ok) {
    throw new ValueError(
      op,
      `padding must be ${rank} pair(s) [before, after] of integers ≥ 0, got ${JSON.stringify(padding)}`,
    );
  }
}

/** Number of spatial axes of a channels-first array, checked to be 1 or 2. */
function spatialRank(op: string, x: readonly number[], what: string): number {
  const rank = x.length - 2;
  if (rank !== 1 && rank !== 2) {
    throw new ShapeError(
      op,
      `needs ${what} of shape (N, C, L) or (N, C, H, W), got ${formatShape(x)}; add a batch axis with expandDims(x, 0) if it has none`,
    );
  }
  return rank;
}

function floatPair(op: string, a: DType, b: DType): DType {
  if (!isFloat(a) || a !== b) {
    throw new DTypeError(
      op,
      `needs two float arrays of one dtype, got ${a} and ${b}; cast with astype first`,
    );
  }
  return a;
}

function checkGeometry(op: string, p: ConvParams, rank: number): void {
  positiveInts(op, 'stride', p.stride, rank, 1);
  positiveInts(op, 'dilation', p.dilation, rank, 1);
  checkPadding(op, p.padding, rank);
  if (!Number.isInteger(p.groups) || p.groups < 1)
    throw new ValueError(op, `groups must be an integer ≥ 1, got ${p.groups}`);
}

/** Spatial output shape of conv on spatial input `s` with kernel `k`; throws when no window fits. */
function convSpatial(
  op: string,
  s: readonly number[],
  k: readonly number[],
  p: ConvParams,
): number[] {
  return s.map((n, i) => {
    const q = convOutputLength(n, k[i]!, p.stride[i]!, p.padding[i]!, p.dilation[i]!);
    if (q < 1) {
      throw new ShapeError(
        op,
        `the kernel ${formatShape(k)} (dilation ${JSON.stringify(p.dilation)}) does not fit the padded input ${formatShape(s)}; pad more or use a smaller kernel`,
      );
    }
    return q;
  });
}

function divisible(op: string, what: string, n: number, groups: number): number {
  if (n % groups !== 0)
    throw new ShapeError(op, `${what} (${n}) must be divisible by groups (${groups})`);
  return n / groups;
}

/** Output of `conv(x (N, C, ...S), w (O, C/groups, ...K))`: (N, O, ...Q). */
export function inferConv(
  op: string,
  x: { shape: readonly number[]; dtype: DType },
  w: { shape: readonly number[]; dtype: DType },
  p: ConvParams,
): OutputSpec {
  const dtype = floatPair(op, x.dtype, w.dtype);
  const rank = spatialRank(op, x.shape, 'an input');
  if (w.shape.length !== x.shape.length) {
    throw new ShapeError(
      op,
      `the filter must have shape (O, C/groups, ${rank === 1 ? 'K' : 'KH, KW'}), got ${formatShape(w.shape)} for input ${formatShape(x.shape)}`,
    );
  }
  checkGeometry(op, p, rank);
  const [n, c] = x.shape as [number, number];
  const [o, cg] = w.shape as [number, number];
  divisible(op, 'output channels', o, p.groups);
  if (cg * p.groups !== c) {
    throw new ShapeError(
      op,
      `the input has ${c} channels but the filter ${formatShape(w.shape)} with groups=${p.groups} expects ${cg * p.groups}`,
    );
  }
  return { shape: [n, o, ...convSpatial(op, x.shape.slice(2), w.shape.slice(2), p)], dtype };
}

/** Output of `convTranspose(y (N, O, ...Q), w (O, C/groups, ...K))`: (N, C, ...inputSpatial). */
export function inferConvTranspose(
  op: string,
  y: { shape: readonly number[]; dtype: DType },
  w: { shape: readonly number[]; dtype: DType },
  p: ConvParams & { inputSpatial: readonly number[] },
): OutputSpec {
  const dtype = floatPair(op, y.dtype, w.dtype);
  const rank = spatialRank(op, y.shape, 'an input');
  checkGeometry(op, p, rank);
  positiveInts(op, 'the output size', p.inputSpatial, rank, 1);
  const [n, o] = y.shape as [number, number];
  if (w.shape.length !== y.shape.length || w.shape[0] !== o) {
    throw new ShapeError(
      op,
      `the filter must have shape (${o}, C/groups, ...K) for an input with ${o} channels, got ${formatShape(w.shape)}`,
    );
  }
  divisible(op, 'input channels', o, p.groups);
  const q = convSpatial(op, p.inputSpatial, w.shape.slice(2), p);
  if (q.some((v, i) => v !== y.shape[2 + i])) {
    throw new ShapeError(
      op,
      `an output of spatial size ${formatShape(p.inputSpatial)} convolves back to ${formatShape(q)}, not to the input's ${formatShape(y.shape.slice(2))}; adjust outputPadding`,
    );
  }
  return { shape: [n, w.shape[1]! * p.groups, ...p.inputSpatial], dtype };
}

/** Output of `convWeightGrad(x (N, C, ...S), y (N, O, ...Q))`: (O, C/groups, ...kernelSpatial). */
export function inferConvWeightGrad(
  op: string,
  x: { shape: readonly number[]; dtype: DType },
  y: { shape: readonly number[]; dtype: DType },
  p: ConvParams & { kernelSpatial: readonly number[] },
): OutputSpec {
  const dtype = floatPair(op, x.dtype, y.dtype);
  const rank = spatialRank(op, x.shape, 'an input');
  checkGeometry(op, p, rank);
  positiveInts(op, 'the kernel size', p.kernelSpatial, rank, 1);
  if (y.shape.length !== x.shape.length || y.shape[0] !== x.shape[0]) {
    throw new ShapeError(
      op,
      `x ${formatShape(x.shape)} and y ${formatShape(y.shape)} must have the same rank and batch size`,
    );
  }
  const cg = divisible(op, 'input channels', x.shape[1]!, p.groups);
  divisible(op, 'output channels', y.shape[1]!, p.groups);
  const q = convSpatial(op, x.shape.slice(2), p.kernelSpatial, p);
  if (q.some((v, i) => v !== y.shape[2 + i])) {
    throw new ShapeError(
      op,
      `y has spatial size ${formatShape(y.shape.slice(2))} but the convolution gives ${formatShape(q)}`,
    );
  }
  return { shape: [y.shape[1]!, cg, ...p.kernelSpatial], dtype };
}

/** Output of a pooling of x (N, C, ...S): (N, C, ...Q); every window overlaps the input. */
export function inferPool(
  op: string,
  x: { shape: readonly number[]; dtype: DType },
  p: PoolParams,
): OutputSpec {
  if (!isFloat(x.dtype))
    throw new DTypeError(op, `needs a float array, got ${x.dtype}; use astype('float32')`);
  const rank = spatialRank(op, x.shape, 'an input');
  positiveInts(op, 'the window', p.window, rank, 1);
  positiveInts(op, 'stride', p.stride, rank, 1);
  checkPadding(op, p.padding, rank);
  if (p.padding.some(([lo, hi], i) => lo >= p.window[i]! || hi >= p.window[i]!)) {
    throw new ValueError(
      op,
      `padding ${JSON.stringify(p.padding)} must be smaller than the window ${JSON.stringify(p.window)} (a window of padding only has no value)`,
    );
  }
  const ones = p.window.map(() => 1);
  const q = convSpatial(op, x.shape.slice(2), p.window, {
    stride: p.stride,
    padding: p.padding,
    dilation: ones,
    groups: 1,
  });
  return { shape: [x.shape[0]!, x.shape[1]!, ...q], dtype: x.dtype };
}

/**
 * A convolution's sizes lifted to two spatial axes (a 1-D problem has height 1), for kernels. Read from the
 * three arrays of the trilinear form: input x (N, C, H, W), filter w (O, C/groups, KH, KW), output y (N, O, OH, OW).
 */
export interface ConvDims {
  /** Batch size. */
  n: number;
  /** Input channels (all groups). */
  c: number;
  /** Input height (1 for 1-D). */
  h: number;
  /** Input width. */
  w: number;
  /** Output channels (all groups). */
  o: number;
  /** Kernel height (1 for 1-D). */
  kh: number;
  /** Kernel width. */
  kw: number;
  /** Output height (1 for 1-D). */
  oh: number;
  /** Output width. */
  ow: number;
  /** Vertical stride. */
  strideH: number;
  /** Horizontal stride. */
  strideW: number;
  /** Zeros before the first row (those after follow from the sizes). */
  padH: number;
  /** Zeros before the first column. */
  padW: number;
  /** Vertical tap spacing. */
  dilationH: number;
  /** Horizontal tap spacing. */
  dilationW: number;
  /** Channel groups. */
  groups: number;
}

const lift = <T>(v: readonly T[], fill: T): [T, T] =>
  v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!];

/** {@link ConvDims} from the shapes of x, w and y (for backend implementers; shapes are already validated). */
export function convDims(
  x: readonly number[],
  w: readonly number[],
  y: readonly number[],
  p: ConvParams,
): ConvDims {
  const [h, wd] = lift(x.slice(2), 1);
  const [kh, kw] = lift(w.slice(2), 1);
  const [oh, ow] = lift(y.slice(2), 1);
  const [sh, sw] = lift(p.stride, 1);
  const [dh, dw] = lift(p.dilation, 1);
  const [ph, pw] = lift(p.padding, [0, 0] as const);
  return {
    n: x[0]!,
    c: x[1]!,
    h,
    w: wd,
    o: w[0]!,
    kh,
    kw,
    oh,
    ow,
    strideH: sh,
    strideW: sw,
    padH: ph[0],
    padW: pw[0],
    dilationH: dh,
    dilationW: dw,
    groups: p.groups,
  };
}

/** A pooling's sizes lifted to two spatial axes, with N·C planes (for backend implementers). */
export interface PoolDims {
  /** N·C independent planes. */
  planes: number;
  /** Input height (1 for 1-D). */
  h: number;
  /** Input width. */
  w: number;
  /** Output height (1 for 1-D). */
  oh: number;
  /** Output width. */
  ow: number;
  /** Window height (1 for 1-D). */
  kh: number;
  /** Window width. */
  kw: number;
  /** Vertical stride. */
  strideH: number;
  /** Horizontal stride. */
  strideW: number;
  /** Padding before the first row. */
  padH: number;
  /** Padding before the first column. */
  padW: number;
}

/** {@link PoolDims} from the shapes of x and y. */
export function poolDims(x: readonly number[], y: readonly number[], p: PoolParams): PoolDims {
  const [h, w] = lift(x.slice(2), 1);
  const [oh, ow] = lift(y.slice(2), 1);
  const [kh, kw] = lift(p.window, 1);
  const [sh, sw] = lift(p.stride, 1);
  const [ph, pw] = lift(p.padding, [0, 0] as const);
  return {
    planes: x[0]! * x[1]!,
    h,
    w,
    oh,
    ow,
    kh,
    kw,
    strideH: sh,
    strideW: sw,
    padH: ph[0],
    padW: pw[0],
  };
}
