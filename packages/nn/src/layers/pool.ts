import {
  type AvgPoolOptions,
  type NDArray,
  type PoolOptions,
  ShapeError,
  avgPool1d,
  avgPool2d,
  formatShape,
  globalAvgPool,
  globalMaxPool,
  maxPool1d,
  maxPool2d,
} from '@sciml/linalg';
import { convOutputSize } from './conv.js';
import { type Empty, type Layer, statelessLayer } from './layer.js';

function poolLayer(
  op: string,
  rank: 1 | 2,
  options: PoolOptions,
  run: (x: NDArray) => NDArray,
): Layer<Empty> {
  const kernel =
    typeof options.kernelSize === 'number'
      ? new Array<number>(rank).fill(options.kernelSize)
      : [...options.kernelSize];
  return statelessLayer<Empty>(op, {
    init: () => ({}),
    outputShape(s) {
      if (s.length !== rank + 1)
        throw new ShapeError(
          op,
          `expects examples [C, ${rank === 1 ? 'L' : 'H, W'}], got ${formatShape(s)}`,
        );
      return [
        s[0]!,
        ...convOutputSize(op, s.slice(1), kernel, {
          stride: options.stride ?? kernel,
          padding: options.padding,
        }),
      ];
    },
    forward: (_p, x) => run(x),
  });
}

/** Max pooling over `[C, L]` examples (PyTorch's `nn.MaxPool1d`; stride defaults to the window). @public */
export function maxPool1dLayer(options: PoolOptions): Layer<Empty> {
  return poolLayer('maxPool1dLayer', 1, options, (x) => maxPool1d(x, options));
}

/** Max pooling over `[C, H, W]` examples (PyTorch's `nn.MaxPool2d`). @public */
export function maxPool2dLayer(options: PoolOptions): Layer<Empty> {
  return poolLayer('maxPool2dLayer', 2, options, (x) => maxPool2d(x, options));
}

/** Average pooling over `[C, L]` examples (PyTorch's `nn.AvgPool1d`). @public */
export function avgPool1dLayer(options: AvgPoolOptions): Layer<Empty> {
  return poolLayer('avgPool1dLayer', 1, options, (x) => avgPool1d(x, options));
}

/** Average pooling over `[C, H, W]` examples (PyTorch's `nn.AvgPool2d`). @public */
export function avgPool2dLayer(options: AvgPoolOptions): Layer<Empty> {
  return poolLayer('avgPool2dLayer', 2, options, (x) => avgPool2d(x, options));
}

function globalLayer(op: string, run: typeof globalAvgPool): Layer<Empty> {
  return statelessLayer<Empty>(op, {
    init: () => ({}),
    outputShape(s) {
      if (s.length < 2)
        throw new ShapeError(op, `expects examples [C, ...spatial], got ${formatShape(s)}`);
      return [s[0]!];
    },
    forward: (_p, x) => run(x),
  });
}

/** Mean over all spatial axes: `[C, ...spatial]` → `[C]` (global average pooling, Lin et al. 2014). @public */
export function globalAvgPoolLayer(): Layer<Empty> {
  return globalLayer('globalAvgPoolLayer', globalAvgPool);
}

/** Maximum over all spatial axes: `[C, ...spatial]` → `[C]`. @public */
export function globalMaxPoolLayer(): Layer<Empty> {
  return globalLayer('globalMaxPoolLayer', globalMaxPool);
}
