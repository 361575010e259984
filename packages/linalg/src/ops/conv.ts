/**
 * Convolutions of channels-first arrays (PyTorch's NCL / NCHW layout): `conv1d`, `conv2d` and their adjoints
 * `convTranspose1d`, `convTranspose2d`. All are the `conv` / `convTranspose` primitives with one or two
 * spatial axes, so autodiff differentiates them to any order on every backend.
 */
import { inferConv, inferConvTranspose } from '../core/conv-geometry.js';
import { bind } from '../core/dispatch.js';
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import type { ConvParams } from '../core/primitives.js';
import { expandDims, reshape } from './shape.js';

/**
 * Padding of a convolution or pooling: `'valid'` (none), `'same'` (output length ⌈n / stride⌉, the extra
 * zero after, as TensorFlow and JAX; PyTorch's 'same' for stride 1), one number for every side, one number
 * per spatial axis (both sides), or explicit `[before, after]` pairs per spatial axis.
 */
export type Padding =
  | 'valid'
  | 'same'
  | number
  | readonly number[]
  | readonly (readonly [number, number])[];

/** Options of `conv1d` / `conv2d`. A number applies to every spatial axis. */
export interface ConvOptions {
  /** Step between output positions (default 1). */
  readonly stride?: number | readonly number[];
  /** Zero padding of the input (default `'valid'`, none). */
  readonly padding?: Padding;
  /** Spacing between filter taps (default 1). */
  readonly dilation?: number | readonly number[];
  /** Independent channel groups (default 1; `groups = C` is a depthwise convolution). */
  readonly groups?: number;
}

/** Options of `convTranspose1d` / `convTranspose2d`, as PyTorch's `ConvTranspose`. */
export interface ConvTransposeOptions {
  /** Stride of the convolution this is the adjoint of (default 1). */
  readonly stride?: number | readonly number[];
  /** Padding of that convolution, removed from the output (default 0). */
  readonly padding?: number | readonly number[] | readonly (readonly [number, number])[];
  /** Extra rows/columns added at the end of the output, to pick among the sizes a strided conv maps alike. */
  readonly outputPadding?: number | readonly number[];
  /** Spacing between filter taps (default 1). */
  readonly dilation?: number | readonly number[];
  /** Independent channel groups (default 1). */
  readonly groups?: number;
}

/** One value per spatial axis from a number or a list. */
export function perAxis(
  op: string,
  name: string,
  v: number | readonly number[] | undefined,
  rank: number,
  fallback: number,
): number[] {
  if (v === undefined) return new Array<number>(rank).fill(fallback);
  if (typeof v === 'number') return new Array<number>(rank).fill(v);
  if (v.length !== rank) {
    throw new ValueError(
      op,
      `${name} needs ${rank} value(s), one per spatial axis, got ${JSON.stringify(v)}`,
    );
  }
  return [...v];
}

/** Explicit `[before, after]` zero padding per spatial axis for inputs of spatial shape `spatial`. */
export function resolvePadding(
  op: string,
  padding: Padding | undefined,
  spatial: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
): [number, number][] {
  const rank = spatial.length;
  if (padding === undefined || padding === 'valid') return spatial.map(() => [0, 0]);
  if (padding === 'same') {
    return spatial.map((n, i) => {
      const out = Math.ceil(n / stride[i]!);
      const total = Math.max(0, (out - 1) * stride[i]! + dilation[i]! * (kernel[i]! - 1) + 1 - n);
      const lo = Math.floor(total / 2);
      return [lo, total - lo];
    });
  }
  if (typeof padding === 'string') {
    throw new ValueError(
      op,
      `padding must be 'valid', 'same', a number or pairs, got '${padding}'`,
    );
  }
  if (typeof padding === 'number') return spatial.map(() => [padding, padding]);
  if (padding.length !== rank) {
    throw new ValueError(
      op,
      `padding needs ${rank} entries, one per spatial axis, got ${JSON.stringify(padding)}`,
    );
  }
  return padding.map((p) => {
    if (typeof p === 'number') return [p, p];
    if (p.length !== 2) {
      throw new ValueError(op, `padding pairs must be [before, after], got ${JSON.stringify(p)}`);
    }
    return [p[0], p[1]];
  });
}

/**
 * Runs `body` on a batched input: an unbatched one (C, ...S) gets a batch axis of 1 first and loses it after.
 */
export function withBatch(
  op: string,
  x: NDArray,
  rank: number,
  body: (batched: NDArray) => NDArray,
): NDArray {
  if (x.ndim === rank + 2) return body(x);
  if (x.ndim === rank + 1) {
    const y = body(expandDims(x, 0));
    return reshape(y, y.shape.slice(1));
  }
  const dims = rank === 1 ? 'L' : 'H, W';
  throw new ShapeError(
    op,
    `needs an input of shape (N, C, ${dims}) or (C, ${dims}), got ${formatShape(x.shape)}`,
  );
}

function convND(op: string, rank: number, x: NDArray, w: NDArray, o: ConvOptions): NDArray {
  return withBatch(op, x, rank, (xb) => {
    if (w.ndim !== rank + 2) {
      throw new ShapeError(
        op,
        `needs a filter of shape (O, C/groups, ${rank === 1 ? 'K' : 'KH, KW'}), got ${formatShape(w.shape)}`,
      );
    }
    const stride = perAxis(op, 'stride', o.stride, rank, 1);
    const dilation = perAxis(op, 'dilation', o.dilation, rank, 1);
    const padding = resolvePadding(
      op,
      o.padding,
      xb.shape.slice(2),
      w.shape.slice(2),
      stride,
      dilation,
    );
    const params: ConvParams = { stride, padding, dilation, groups: o.groups ?? 1 };
    inferConv(op, xb, w, params); // errors name the op the user called
    return bind('conv', [xb, w], params)[0]!;
  });
}

/**
 * 1-D convolution (cross-correlation, as PyTorch's `conv1d`) of x (N, C, L) — or (C, L) — with filters
 * w (O, C/groups, K): y[n, o, i] = Σ_{c, k} x[n, g·C/groups + c, i·stride − pad + k·dilation] · w[o, c, k],
 * g the group of o. Output length ⌊(L + pad_before + pad_after − dilation·(K − 1) − 1) / stride⌋ + 1.
 */
export function conv1d(x: NDArray, w: NDArray, options: ConvOptions = {}): NDArray {
  return convND('conv1d', 1, x, w, options);
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `conv2d`) of x (N, C, H, W) — or (C, H, W) — with filters
 * w (O, C/groups, KH, KW): y[n, o, i, j] = Σ_{c, p, q} x[n, g·C/groups + c, i·s_h − pad_h + p·d_h,
 * j·s_w − pad_w + q·d_w] · w[o, c, p, q]. Bias is a separate `add`.
 */
export function conv2d(x: NDArray, w: NDArray, options: ConvOptions = {}): NDArray {
  return convND('conv2d', 2, x, w, options);
}

function convTransposeND(
  op: string,
  rank: number,
  y: NDArray,
  w: NDArray,
  o: ConvTransposeOptions,
): NDArray {
  return withBatch(op, y, rank, (yb) => {
    if (w.ndim !== rank + 2) {
      throw new ShapeError(
        op,
        `needs a filter of shape (C_in, C_out/groups, ${rank === 1 ? 'K' : 'KH, KW'}), got ${formatShape(w.shape)}`,
      );
    }
    const stride = perAxis(op, 'stride', o.stride, rank, 1);
    const dilation = perAxis(op, 'dilation', o.dilation, rank, 1);
    const extra = perAxis(op, 'outputPadding', o.outputPadding, rank, 0);
    const kernel = w.shape.slice(2);
    const padding = resolvePadding(op, o.padding ?? 0, yb.shape.slice(2), kernel, stride, dilation);
    // the largest input of the forward convolution that gives y's size, plus outputPadding
    const inputSpatial = yb.shape.slice(2).map((q, i) => {
      if (
        !Number.isInteger(extra[i]) ||
        extra[i]! < 0 ||
        extra[i]! >= Math.max(stride[i]!, dilation[i]!)
      ) {
        throw new ValueError(
          op,
          `outputPadding must be integers in [0, max(stride, dilation)), got ${JSON.stringify(o.outputPadding)}`,
        );
      }
      const [lo, hi] = padding[i]!;
      return (q - 1) * stride[i]! - lo - hi + dilation[i]! * (kernel[i]! - 1) + 1 + extra[i]!;
    });
    const params = { stride, padding, dilation, groups: o.groups ?? 1, inputSpatial };
    inferConvTranspose(op, yb, w, params);
    return bind('convTranspose', [yb, w], params)[0]!;
  });
}

/**
 * 1-D transposed convolution (PyTorch's `conv_transpose1d`): the adjoint of `conv1d` in its input, so the
 * gradient of a strided convolution and a learnable upsampling. x (N, C_in, L), w (C_in, C_out/groups, K);
 * output length (L − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1.
 */
export function convTranspose1d(
  x: NDArray,
  w: NDArray,
  options: ConvTransposeOptions = {},
): NDArray {
  return convTransposeND('convTranspose1d', 1, x, w, options);
}

/**
 * 2-D transposed convolution (PyTorch's `conv_transpose2d`): the adjoint of `conv2d` in its input.
 * x (N, C_in, H, W), w (C_in, C_out/groups, KH, KW); each output side is
 * (in − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1.
 */
export function convTranspose2d(
  x: NDArray,
  w: NDArray,
  options: ConvTransposeOptions = {},
): NDArray {
  return convTransposeND('convTranspose2d', 2, x, w, options);
}
