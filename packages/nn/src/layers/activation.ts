import type { NDArray } from '@sciml/linalg';
import { ACTIVATIONS, type ActivationName } from '../activations.js';
import { type Empty, type Layer, statelessLayer } from './layer.js';

/**
 * A parameter-free layer applying an elementwise function: a built-in activation by name, or any
 * `(x) => NDArray` (`sequential` wraps plain functions with this).
 * @example `sequential(linear(64), activation('gelu'), linear(1))`
 * @public
 */
export function activation(fn: ActivationName | ((x: NDArray) => NDArray)): Layer<Empty> {
  const f = typeof fn === 'string' ? ACTIVATIONS[fn] : fn;
  return statelessLayer<Empty>(typeof fn === 'string' ? fn : 'activation', {
    init: () => ({}),
    outputShape: (s) => [...s],
    forward: (_p, x) => f(x),
  });
}
