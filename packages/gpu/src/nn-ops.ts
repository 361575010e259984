/**
 * GPU kernels for neural-network ops that are not (yet) @sciml/linalg primitives: 2-D convolution with the
 * two building blocks of its gradient, softmax, log-softmax and log-sum-exp. They run on float32 arrays of
 * a `GpuBackend` and are not differentiated by @sciml/autodiff (compose linalg ops for that).
 */
import {
  DTypeError,
  NDArray,
  ShapeError,
  ValueError,
  formatShape,
  normalizeAxis,
  sizeOf,
} from '@sciml/linalg';
import { GpuBackend } from './backend/gpu-backend.js';
import type { KernelSource } from './exec/pipelines.js';
import {
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  conv2dKernel,
  softmaxKernel,
} from './kernels/conv.js';

/** Stride, zero padding and dilation of a convolution, per spatial axis (one number = both axes). */
export interface Conv2dOptions {
  /** Step between output positions (default 1). */
  readonly stride?: number | readonly [number, number];
  /** Zeros added on each side of the input (default 0). */
  readonly padding?: number | readonly [number, number];
  /** Spacing between filter taps (default 1). */
  readonly dilation?: number | readonly [number, number];
}

function pair(
  op: string,
  name: string,
  v: number | readonly [number, number] | undefined,
  fallback: number,
  min: number,
): [number, number] {
  const p: [number, number] =
    v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new ValueError(op, `${name} must be integers ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return p;
}

function gpuOf(op: string, ...xs: NDArray[]): GpuBackend {
  const b = xs[0]!.backend;
  for (const x of xs) {
    if (!(x.backend instanceof GpuBackend) || x.backend !== b) {
      throw new ValueError(
        op,
        `needs float32 arrays on one webgpu backend, got backends ${xs.map((y) => y.backend.name).join(', ')}`,
      );
    }
    if (x.dtype !== 'float32')
      throw new DTypeError(op, `needs float32 arrays, got ${x.dtype}; use astype('float32')`);
  }
  return b as GpuBackend;
}

interface ConvGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  oh: number;
  ow: number;
  params: number[];
}

function geometry(
  op: string,
  xShape: readonly number[],
  wShape: readonly number[],
  options: Conv2dOptions,
): ConvGeometry {
  if (xShape.length !== 4 || wShape.length !== 4) {
    throw new ShapeError(
      op,
      `needs an input (N, C, H, W) and a filter (O, C, KH, KW), got ${formatShape(xShape)} and ${formatShape(wShape)}`,
    );
  }
  const [n, c, h, w] = xShape as [number, number, number, number];
  const [o, c2, kh, kw] = wShape as [number, number, number, number];
  if (c !== c2) throw new ShapeError(op, `input has ${c} channels but the filter expects ${c2}`);
  const [sh, sw] = pair(op, 'stride', options.stride, 1, 1);
  const [ph, pw] = pair(op, 'padding', options.padding, 0, 0);
  const [dh, dw] = pair(op, 'dilation', options.dilation, 1, 1);
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  if (oh < 1 || ow < 1)
    throw new ShapeError(
      op,
      `the filter ${kh}×${kw} (dilation ${dh}×${dw}) does not fit the padded input ${h}×${w}`,
    );
  const params = [n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw];
  return { n, c, h, w, o, kh, kw, oh, ow, params };
}

function run(
  b: GpuBackend,
  kernel: KernelSource,
  params: number[],
  inputs: NDArray[],
  shape: number[],
): NDArray {
  return new NDArray(b.runKernel(kernel, params, inputs, sizeOf(shape)), shape, 'float32', b);
}

/**
 * 2-D convolution (cross-correlation) of x (N, C, H, W) with filters w (O, C, KH, KW): output
 * (N, O, OH, OW), OH = ⌊(H + 2·pad − dil·(KH − 1) − 1) / stride⌋ + 1.
 */
export function gpuConv2d(x: NDArray, w: NDArray, options: Conv2dOptions = {}): NDArray {
  const b = gpuOf('gpuConv2d', x, w);
  const g = geometry('gpuConv2d', x.shape, w.shape, options);
  return run(b, conv2dKernel(), g.params, [x, w], [g.n, g.o, g.oh, g.ow]);
}

/** Gradient of `gpuConv2d` with respect to its input: dy (N, O, OH, OW) and w give dx of `inputShape`. */
export function gpuConv2dBackpropInput(
  dy: NDArray,
  w: NDArray,
  inputShape: readonly number[],
  options: Conv2dOptions = {},
): NDArray {
  const b = gpuOf('gpuConv2dBackpropInput', dy, w);
  const g = geometry('gpuConv2dBackpropInput', inputShape, w.shape, options);
  if (dy.ndim !== 4 || dy.shape.join() !== [g.n, g.o, g.oh, g.ow].join()) {
    throw new ShapeError(
      'gpuConv2dBackpropInput',
      `dy has shape ${formatShape(dy.shape)}, expected ${formatShape([g.n, g.o, g.oh, g.ow])}`,
    );
  }
  return run(b, conv2dBackpropInputKernel(), g.params, [dy, w], [...inputShape]);
}

/** Gradient of `gpuConv2d` with respect to its filter: x and dy (N, O, OH, OW) give dw of `filterShape`. */
export function gpuConv2dBackpropFilter(
  x: NDArray,
  dy: NDArray,
  filterShape: readonly number[],
  options: Conv2dOptions = {},
): NDArray {
  const b = gpuOf('gpuConv2dBackpropFilter', x, dy);
  const g = geometry('gpuConv2dBackpropFilter', x.shape, filterShape, options);
  if (dy.ndim !== 4 || dy.shape.join() !== [g.n, g.o, g.oh, g.ow].join()) {
    throw new ShapeError(
      'gpuConv2dBackpropFilter',
      `dy has shape ${formatShape(dy.shape)}, expected ${formatShape([g.n, g.o, g.oh, g.ow])}`,
    );
  }
  return run(b, conv2dBackpropFilterKernel(), g.params, [x, dy], [...filterShape]);
}

function lines(
  op: string,
  x: NDArray,
  axis: number,
): { a: number; params: number[]; count: number } {
  const a = normalizeAxis(op, axis, x.ndim);
  const n = x.shape[a]!;
  if (n === 0) throw new ValueError(op, `axis ${axis} is empty`);
  const inner = sizeOf(x.shape.slice(a + 1));
  return { a, params: [x.size / n, n, inner], count: x.size / n };
}

/** softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) along `axis` (m the maximum, so nothing overflows). */
export function gpuSoftmax(x: NDArray, axis = -1): NDArray {
  const b = gpuOf('gpuSoftmax', x);
  const { params, count } = lines('gpuSoftmax', x, axis);
  return new NDArray(
    b.runKernel(softmaxKernel('softmax'), params, [x], x.size, count),
    x.shape,
    'float32',
    b,
  );
}

/** log softmax(x) = x − logsumexp(x) along `axis`. */
export function gpuLogSoftmax(x: NDArray, axis = -1): NDArray {
  const b = gpuOf('gpuLogSoftmax', x);
  const { params, count } = lines('gpuLogSoftmax', x, axis);
  return new NDArray(
    b.runKernel(softmaxKernel('logSoftmax'), params, [x], x.size, count),
    x.shape,
    'float32',
    b,
  );
}

/** log Σ exp(x) along `axis`, computed as m + log Σ exp(x − m). */
export function gpuLogsumexp(
  x: NDArray,
  options: { axis?: number; keepdims?: boolean } = {},
): NDArray {
  const b = gpuOf('gpuLogsumexp', x);
  const { a, params, count } = lines('gpuLogsumexp', x, options.axis ?? -1);
  const shape = x.shape.flatMap((d, i) => (i === a ? (options.keepdims ? [1] : []) : [d]));
  // one thread per line, one value per line
  return new NDArray(
    b.runKernel(softmaxKernel('logsumexp'), params, [x], count),
    shape,
    'float32',
    b,
  );
}
