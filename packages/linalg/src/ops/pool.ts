/**
 * Pooling of channels-first arrays: `maxPool1d/2d`, `avgPool1d/2d` (the `maxPool` / `avgPool` primitives)
 * and the global poolings (plain reductions over the spatial axes).
 */
import { inferPool } from '../core/conv-geometry.js';
import { bind } from '../core/dispatch.js';
import { ShapeError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import type { PoolParams } from '../core/primitives.js';
import { type Padding, perAxis, resolvePadding, withBatch } from './conv.js';
import { max, mean } from './reduce.js';

/** Options of the pooling ops. A number applies to every spatial axis. */
export interface PoolOptions {
  /** Window size (required). */
  readonly kernelSize: number | readonly number[];
  /** Step between windows (default: the window size, so windows tile the input). */
  readonly stride?: number | readonly number[];
  /** Implicit padding, smaller than the window (default `'valid'`, none). */
  readonly padding?: Padding;
}

/** Options of `avgPool1d` / `avgPool2d`. */
export interface AvgPoolOptions extends PoolOptions {
  /** Count padded zeros in each window's divisor (default true, as PyTorch; false divides by real elements). */
  readonly countIncludePad?: boolean;
}

function poolParams(op: string, rank: number, x: NDArray, o: PoolOptions): PoolParams {
  const window = perAxis(op, 'kernelSize', o.kernelSize, rank, 1);
  const stride = perAxis(op, 'stride', o.stride ?? window, rank, 1);
  const ones = window.map(() => 1);
  const padding = resolvePadding(op, o.padding, x.shape.slice(2), window, stride, ones);
  const params = { window, stride, padding };
  inferPool(op, x, params);
  return params;
}

/** 1-D max pooling of x (N, C, L) or (C, L): the maximum of each window (padding never wins). */
export function maxPool1d(x: NDArray, options: PoolOptions): NDArray {
  return withBatch(
    'maxPool1d',
    x,
    1,
    (xb) => bind('maxPool', [xb], poolParams('maxPool1d', 1, xb, options))[0]!,
  );
}

/** 2-D max pooling of x (N, C, H, W) or (C, H, W): the maximum of each KH×KW window (padding never wins). */
export function maxPool2d(x: NDArray, options: PoolOptions): NDArray {
  return withBatch(
    'maxPool2d',
    x,
    2,
    (xb) => bind('maxPool', [xb], poolParams('maxPool2d', 2, xb, options))[0]!,
  );
}

function avg(op: string, rank: number, x: NDArray, options: AvgPoolOptions): NDArray {
  return withBatch(op, x, rank, (xb) => {
    const params = {
      ...poolParams(op, rank, xb, options),
      countIncludePad: options.countIncludePad ?? true,
    };
    return bind('avgPool', [xb], params)[0]!;
  });
}

/** 1-D average pooling of x (N, C, L) or (C, L): the mean of each window. */
export function avgPool1d(x: NDArray, options: AvgPoolOptions): NDArray {
  return avg('avgPool1d', 1, x, options);
}

/** 2-D average pooling of x (N, C, H, W) or (C, H, W): the mean of each KH×KW window. */
export function avgPool2d(x: NDArray, options: AvgPoolOptions): NDArray {
  return avg('avgPool2d', 2, x, options);
}

function spatialAxes(op: string, x: NDArray): number[] {
  if (x.ndim < 3) {
    throw new ShapeError(op, `needs an input (N, C, ...spatial), got ${formatShape(x.shape)}`);
  }
  return Array.from({ length: x.ndim - 2 }, (_, i) => i + 2);
}

/** Mean over every spatial axis of x (N, C, ...S): (N, C), or (N, C, 1, …) with `keepdims`. */
export function globalAvgPool(x: NDArray, options: { keepdims?: boolean } = {}): NDArray {
  return mean(x, { axis: spatialAxes('globalAvgPool', x), keepdims: options.keepdims ?? false });
}

/** Maximum over every spatial axis of x (N, C, ...S): (N, C), or (N, C, 1, …) with `keepdims`. */
export function globalMaxPool(x: NDArray, options: { keepdims?: boolean } = {}): NDArray {
  return max(x, { axis: spatialAxes('globalMaxPool', x), keepdims: options.keepdims ?? false });
}
