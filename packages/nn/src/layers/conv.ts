// Convolution layers over channels-first examples ([C, L] or [C, H, W], PyTorch's layout) on linalg's
// `conv`/`convTranspose` primitives, with PyTorch's parameter names and weight layouts.
import {
  type NDArray,
  type Padding,
  ShapeError,
  ValueError,
  add,
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  formatShape,
  reshape,
} from '@sciml/linalg';
import { type Initializer, glorotUniform, zerosInit } from '../initializers.js';
import { type Layer, statelessLayer } from './layer.js';
import { positiveInt } from './shapes.js';

/** Parameters of a convolution layer (PyTorch names). @public */
export type ConvParams = {
  /** Filters: `[out, in/groups, ...kernel]` (convolution) or `[in, out/groups, ...kernel]` (transposed). */
  weight: NDArray;
  /** Bias `[out]` (absent with `bias: false`). */
  bias?: NDArray;
};

/** Options of {@link conv1dLayer} / {@link conv2dLayer}. @public */
export interface ConvLayerOptions {
  /** Window size per spatial axis (a number for all). */
  kernelSize: number | readonly number[];
  /** Step (default 1). */
  stride?: number | readonly number[];
  /** Padding (default `'valid'`); `'same'` keeps ⌈n/stride⌉. */
  padding?: Padding;
  /** Filter dilation (default 1). */
  dilation?: number | readonly number[];
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default Glorot uniform; `heNormal` for ReLU networks). */
  init?: Initializer;
}

/** Options of the transposed convolution layers. @public */
export interface ConvTransposeLayerOptions {
  /** Window size per spatial axis. */
  kernelSize: number | readonly number[];
  /** Stride of the convolution this inverts (default 1). */
  stride?: number | readonly number[];
  /** Padding of that convolution, removed from the output (default 0). */
  padding?: number | readonly number[];
  /** Extra size at the end of the output (default 0). */
  outputPadding?: number | readonly number[];
  /** Filter dilation (default 1). */
  dilation?: number | readonly number[];
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default Glorot uniform). */
  init?: Initializer;
}

const list = (
  op: string,
  what: string,
  v: number | readonly number[] | undefined,
  rank: number,
  d: number,
) => {
  const out =
    v === undefined
      ? new Array<number>(rank).fill(d)
      : typeof v === 'number'
        ? new Array<number>(rank).fill(v)
        : [...v];
  if (out.length !== rank || out.some((x) => !Number.isSafeInteger(x) || x < 0))
    throw new ValueError(
      op,
      `${what} must be a non-negative integer or ${rank} of them, got ${JSON.stringify(v)}`,
    );
  return out;
};

/** Output length of a convolution or pooling along one axis (PyTorch's formula; 'same' as linalg). */
export function convOutputSize(
  op: string,
  spatial: readonly number[],
  kernel: readonly number[],
  options: {
    stride?: number | readonly number[];
    padding?: Padding;
    dilation?: number | readonly number[];
  },
): number[] {
  const rank = spatial.length;
  const stride = list(op, 'stride', options.stride, rank, 1);
  const dilation = list(op, 'dilation', options.dilation, rank, 1);
  const p = options.padding ?? 'valid';
  return spatial.map((n, i) => {
    if (p === 'same') return Math.ceil(n / stride[i]!);
    let lo = 0;
    let hi = 0;
    if (typeof p === 'number') lo = hi = p;
    else if (Array.isArray(p)) {
      const e = p[i];
      if (typeof e === 'number') lo = hi = e;
      else if (Array.isArray(e)) [lo, hi] = e as [number, number];
    }
    const out = Math.floor((n + lo + hi - dilation[i]! * (kernel[i]! - 1) - 1) / stride[i]!) + 1;
    if (out < 1)
      throw new ShapeError(
        op,
        `the window (${kernel.join('×')}) does not fit the input ${formatShape(spatial)}`,
      );
    return out;
  });
}

function checkExample(op: string, s: readonly number[], rank: number): void {
  if (s.length !== rank + 1)
    throw new ShapeError(
      op,
      `expects examples [C, ${rank === 1 ? 'L' : 'H, W'}] (channels first), got ${formatShape(s)}`,
    );
}

const withBias = (y: NDArray, bias: NDArray | undefined, rank: number): NDArray =>
  bias ? add(y, reshape(bias, [bias.shape[0]!, ...new Array<number>(rank).fill(1)])) : y;

function convLayer(rank: 1 | 2, outChannels: number, o: ConvLayerOptions): Layer<ConvParams> {
  const op = rank === 1 ? 'conv1dLayer' : 'conv2dLayer';
  positiveInt(op, 'outChannels', outChannels);
  const kernel = list(op, 'kernelSize', o.kernelSize, rank, 1);
  const groups = o.groups ?? 1;
  const init = o.init ?? glorotUniform;
  const run = rank === 1 ? conv1d : conv2d;
  const convOptions = { stride: o.stride, padding: o.padding, dilation: o.dilation, groups };
  return statelessLayer<ConvParams>(op, {
    init(rng, s, { dtype }) {
      checkExample(op, s, rank);
      if (s[0]! % groups !== 0 || outChannels % groups !== 0)
        throw new ValueError(
          op,
          `channels ${s[0]} → ${outChannels} must both be divisible by groups ${groups}`,
        );
      const weight = init([outChannels, s[0]! / groups, ...kernel], { rng, dtype });
      return o.bias === false ? { weight } : { weight, bias: zerosInit([outChannels], { dtype }) };
    },
    outputShape(s) {
      checkExample(op, s, rank);
      return [outChannels, ...convOutputSize(op, s.slice(1), kernel, convOptions)];
    },
    forward: (p, x) => withBias(run(x, p.weight, convOptions), p.bias, rank),
  });
}

function convTransposeLayer(
  rank: 1 | 2,
  outChannels: number,
  o: ConvTransposeLayerOptions,
): Layer<ConvParams> {
  const op = rank === 1 ? 'convTranspose1dLayer' : 'convTranspose2dLayer';
  positiveInt(op, 'outChannels', outChannels);
  const kernel = list(op, 'kernelSize', o.kernelSize, rank, 1);
  const groups = o.groups ?? 1;
  const init = o.init ?? glorotUniform;
  const run = rank === 1 ? convTranspose1d : convTranspose2d;
  const options = {
    stride: o.stride,
    padding: o.padding,
    outputPadding: o.outputPadding,
    dilation: o.dilation,
    groups,
  };
  const stride = list(op, 'stride', o.stride, rank, 1);
  const pad = list(op, 'padding', o.padding, rank, 0);
  const extra = list(op, 'outputPadding', o.outputPadding, rank, 0);
  const dilation = list(op, 'dilation', o.dilation, rank, 1);
  return statelessLayer<ConvParams>(op, {
    init(rng, s, { dtype }) {
      checkExample(op, s, rank);
      const weight = init([s[0]!, outChannels / groups, ...kernel], { rng, dtype });
      return o.bias === false ? { weight } : { weight, bias: zerosInit([outChannels], { dtype }) };
    },
    outputShape(s) {
      checkExample(op, s, rank);
      // (in − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1
      return [
        outChannels,
        ...s
          .slice(1)
          .map(
            (n, i) =>
              (n - 1) * stride[i]! - 2 * pad[i]! + dilation[i]! * (kernel[i]! - 1) + extra[i]! + 1,
          ),
      ];
    },
    forward: (p, x) => withBias(run(x, p.weight, options), p.bias, rank),
  });
}

/** 1-D convolution layer on `[C, L]` examples (PyTorch's `nn.Conv1d`, in-channels from the input shape). @public */
export function conv1dLayer(outChannels: number, options: ConvLayerOptions): Layer<ConvParams> {
  return convLayer(1, outChannels, options);
}

/**
 * 2-D convolution layer on `[C, H, W]` examples (PyTorch's `nn.Conv2d`): y = conv2d(x, W) + b with W
 * `[out, in/groups, KH, KW]`.
 * @example `sequential(conv2dLayer(8, { kernelSize: 3, padding: 'same' }), relu, maxPool2dLayer({ kernelSize: 2 }))`
 * @public
 */
export function conv2dLayer(outChannels: number, options: ConvLayerOptions): Layer<ConvParams> {
  return convLayer(2, outChannels, options);
}

/** 1-D transposed convolution layer (PyTorch's `nn.ConvTranspose1d`, W `[in, out/groups, K]`). @public */
export function convTranspose1dLayer(
  outChannels: number,
  options: ConvTransposeLayerOptions,
): Layer<ConvParams> {
  return convTransposeLayer(1, outChannels, options);
}

/** 2-D transposed convolution layer (PyTorch's `nn.ConvTranspose2d`, W `[in, out/groups, KH, KW]`). @public */
export function convTranspose2dLayer(
  outChannels: number,
  options: ConvTransposeLayerOptions,
): Layer<ConvParams> {
  return convTransposeLayer(2, outChannels, options);
}
