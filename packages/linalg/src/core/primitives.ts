import type { DType } from './dtype.js';

/**
 * The closed set of primitive operations. Every public op of @sciml is composed from these, so a backend
 * implements only these and autodiff needs a rule for each (its rule tables are typed
 * `{ [P in Primitive]: Rule<P> }`, so adding a primitive without rules does not compile).
 */
export const UNARY_PRIMITIVES = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'floor',
] as const;

/** Elementwise functions of one array. `floor` and `sign` have zero derivative almost everywhere. */
export type UnaryPrimitive = (typeof UNARY_PRIMITIVES)[number];

/** Elementwise arithmetic of two arrays with NumPy broadcasting. */
export const BINARY_PRIMITIVES = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;

/** Binary arithmetic primitive. */
export type BinaryPrimitive = (typeof BINARY_PRIMITIVES)[number];

/** Elementwise comparisons with broadcasting; results are `bool` and carry no gradient. */
export const COMPARE_PRIMITIVES = [
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'equal',
  'notEqual',
] as const;

/** Comparison primitive. */
export type ComparePrimitive = (typeof COMPARE_PRIMITIVES)[number];

/** Reductions along a set of axes. */
export const REDUCE_PRIMITIVES = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const;

/** Reduction primitive (`argmax`/`argmin` reduce exactly one axis and return int32). */
export type ReducePrimitive = (typeof REDUCE_PRIMITIVES)[number];

/** Primitives that move or select data without arithmetic. */
export const STRUCTURAL_PRIMITIVES = [
  'reshape',
  'transpose',
  'broadcastTo',
  'slice',
  'pad',
  'concat',
  'gather',
  'scatterAdd',
  'where',
  'cast',
] as const;

/** Structural primitive. */
export type StructuralPrimitive = (typeof STRUCTURAL_PRIMITIVES)[number];

/** Linear-algebra primitives: batched matmul and the named matrix routines with autodiff rules. */
export const LINALG_PRIMITIVES = [
  'matmul',
  'triangularSolve',
  'cholesky',
  'lu',
  'qr',
  'eigh',
  'svd',
] as const;

/** Linear-algebra primitive. */
export type LinalgPrimitive = (typeof LINALG_PRIMITIVES)[number];

/**
 * Neural-network primitives over channels-first arrays (N, C, ...spatial) with one or two spatial axes.
 * Convolution is three primitives, the three bilinear maps of one trilinear form
 * T(x, w, y) = ⟨conv(x, w), y⟩ = ⟨x, convTranspose(y, w)⟩ = ⟨w, convWeightGrad(x, y)⟩, so the derivative of
 * each is the other two (the set is closed under VJP, to any order).
 */
export const NN_PRIMITIVES = [
  'conv',
  'convTranspose',
  'convWeightGrad',
  'maxPool',
  'avgPool',
] as const;

/** Neural-network primitive (convolutions and pooling). */
export type NnPrimitive = (typeof NN_PRIMITIVES)[number];

/**
 * Complex-number primitives. A complex array is stored as interleaved (re, im) pairs, so `viewAsReal`
 * (complex (...) → float (..., 2)) and `viewAsComplex` (float (..., 2) → complex (...)) only relabel the
 * storage; every complex op but the FFT is composed from them and the real primitives (as PyTorch's
 * `view_as_real`), so it gets every transform for free. `fft` is the unnormalised discrete Fourier transform
 * of the last axis times `scale`: X_k = scale · Σ_j x_j e^{∓2πi jk/n} (− forward, + inverse).
 */
export const COMPLEX_PRIMITIVES = ['viewAsReal', 'viewAsComplex', 'fft'] as const;

/** Complex-number primitive. */
export type ComplexPrimitive = (typeof COMPLEX_PRIMITIVES)[number];

/** Every primitive. */
export type Primitive =
  | ComplexPrimitive
  | UnaryPrimitive
  | BinaryPrimitive
  | ComparePrimitive
  | ReducePrimitive
  | StructuralPrimitive
  | LinalgPrimitive
  | NnPrimitive;

/** All primitive names, for exhaustive tests. */
export const PRIMITIVES: readonly Primitive[] = [
  ...UNARY_PRIMITIVES,
  ...BINARY_PRIMITIVES,
  ...COMPARE_PRIMITIVES,
  ...REDUCE_PRIMITIVES,
  ...STRUCTURAL_PRIMITIVES,
  ...LINALG_PRIMITIVES,
  ...NN_PRIMITIVES,
  ...COMPLEX_PRIMITIVES,
];

/** Parameters of a reduction: axes are non-negative and sorted. */
export interface ReduceParams {
  axes: readonly number[];
  keepdims: boolean;
}

/**
 * Geometry of a convolution over the trailing spatial axes (one entry per spatial axis; 1 or 2 axes):
 * output length ⌊(in + lo + hi − dilation·(k − 1) − 1) / stride⌋ + 1.
 */
export interface ConvParams {
  /** Step between output positions. */
  stride: readonly number[];
  /** Zeros added before and after the input, per spatial axis. */
  padding: readonly (readonly [number, number])[];
  /** Spacing between filter taps (1 = dense). */
  dilation: readonly number[];
  /** Channels split into `groups` independent convolutions (input and output channels divisible by it). */
  groups: number;
}

/** Window, stride and padding of a pooling (one entry per spatial axis); padding never fills a whole window. */
export interface PoolParams {
  /** Window size. */
  window: readonly number[];
  /** Step between windows. */
  stride: readonly number[];
  /** Implicit padding before and after, each smaller than the window. */
  padding: readonly (readonly [number, number])[];
}

/** Parameters of each primitive (besides its array inputs). */
export interface PrimitiveParamMap {
  reshape: { shape: readonly number[] };
  transpose: { perm: readonly number[] };
  broadcastTo: { shape: readonly number[] };
  /** Per-axis start, step (non-zero) and output length; negative steps select backwards. */
  slice: { starts: readonly number[]; steps: readonly number[]; lengths: readonly number[] };
  /** Zero padding before and after each axis (the transpose of a unit-step slice). */
  pad: { before: readonly number[]; after: readonly number[] };
  concat: { axis: number };
  /** `gather(x, indices)` takes along `axis` with int32 indices; output shape replaces axis by indices' shape. */
  gather: { axis: number };
  /** `scatterAdd(updates, indices)` adds slices into zeros of `shape` along `axis` (the transpose of gather). */
  scatterAdd: { axis: number; shape: readonly number[] };
  cast: { dtype: DType };
  /** Batched matmul of the last two axes, with optional transposition of either operand's last two axes. */
  matmul: { transA: boolean; transB: boolean };
  /** Solves op(A) X = B for triangular A (last two axes). */
  triangularSolve: { lower: boolean; transA: boolean; unitDiagonal: boolean };
  qr: { mode: 'reduced' | 'complete' };
  svd: { fullMatrices: boolean };
  argmax: { axis: number; keepdims: boolean };
  argmin: { axis: number; keepdims: boolean };
  sum: ReduceParams;
  prod: ReduceParams;
  max: ReduceParams;
  min: ReduceParams;
  /** `conv(x (N, C, ...S), w (O, C/groups, ...K))` → (N, O, ...Q): cross-correlation, as in deep learning. */
  conv: ConvParams;
  /** `convTranspose(y (N, O, ...Q), w (O, C/groups, ...K))` → (N, C, ...inputSpatial): the adjoint of conv in x. */
  convTranspose: ConvParams & { inputSpatial: readonly number[] };
  /** `convWeightGrad(x (N, C, ...S), y (N, O, ...Q))` → (O, C/groups, ...kernelSpatial): the adjoint of conv in w. */
  convWeightGrad: ConvParams & { kernelSpatial: readonly number[] };
  /** `maxPool(x)` → [maxima, int32 flat indices into x of the first maximum of each window]; padding is −∞. */
  maxPool: PoolParams;
  /** `avgPool(x)` → window means; padded zeros count in the divisor when `countIncludePad`. */
  avgPool: PoolParams & { countIncludePad: boolean };
  /** DFT of the last axis: `inverse` flips the sign of the exponent; the result is multiplied by `scale`. */
  fft: { inverse: boolean; scale: number };
}

/** Params of primitive `P` (an empty object for those that take none). */
export type PrimitiveParams<P extends Primitive> = P extends keyof PrimitiveParamMap
  ? PrimitiveParamMap[P]
  : Record<string, never>;
