import { ShapeError, reshape as reshapeArray, formatShape } from '@sciml/linalg';
import { type Empty, type Layer, statelessLayer } from './layer.js';

const product = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Flattens each example to one axis: `[N, ...]` → `[N, Π...]` (PyTorch's `nn.Flatten`). @public */
export function flatten(): Layer<Empty> {
  return statelessLayer<Empty>('flatten', {
    init: () => ({}),
    outputShape: (s) => [product(s)],
    forward: (_p, x) => reshapeArray(x, [x.shape[0]!, product(x.shape.slice(1))]),
  });
}

/** Reshapes each example to `shape` (a per-example shape; the batch axis is kept). @public */
export function reshape(shape: readonly number[]): Layer<Empty> {
  const check = (s: readonly number[]): void => {
    if (product(s) !== product(shape))
      throw new ShapeError(
        'reshape',
        `cannot reshape examples of shape ${formatShape(s)} to ${formatShape(shape)}: sizes differ`,
      );
  };
  return statelessLayer<Empty>('reshape', {
    init: (_rng, s) => {
      check(s);
      return {};
    },
    outputShape: (s) => {
      check(s);
      return [...shape];
    },
    forward: (_p, x) => reshapeArray(x, [x.shape[0]!, ...shape]),
  });
}
