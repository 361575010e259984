// The functional layer contract (Flax/Haiku style): `init` draws parameters, `apply` maps a batch through
// them. Parameters and state are pytrees of NDArray, so autodiff differentiates them and optim updates them.
import type { PyTree } from '@sciml/autodiff';
import type { FloatDType, Generator, NDArray } from '@sciml/linalg';

/** Options of `Layer.init` and `Layer.initState`. @public */
export interface LayerInitOptions {
  /** Element type of the parameters (default float64). */
  dtype?: FloatDType;
}

/** Options of `Layer.apply`: the layer's state, randomness (dropout) and the train/eval switch. @public */
export interface ApplyOptions<S extends PyTree = PyTree> {
  /** State from `initState` or a previous `apply` (running statistics); default: a fresh `initState`. */
  state?: S;
  /** Generator for stochastic layers (dropout) in training mode. */
  rng?: Generator;
  /** Training mode: dropout drops, batch norm uses and updates batch statistics (default false). */
  training?: boolean;
}

/** What `Layer.apply` returns: the output batch and the (possibly updated) state. @public */
export interface LayerOutput<S extends PyTree = PyTree> {
  /** Output batch. */
  y: NDArray;
  /** New state (the input state when the layer keeps none or is in eval mode). */
  state: S;
}

/**
 * A layer as a pair of pure functions. Shapes given to `init`/`outputShape` are per example: the batch
 * axis is left out (PyTorch/Keras `input_shape`), and `apply` takes arrays with a leading batch axis.
 * Parameter names follow PyTorch (`weight`, `bias`, `running_mean`), with weights in PyTorch's layout
 * (`[out, in]` for linear layers), so a state dict moves to and from PyTorch unchanged.
 * @public
 */
export interface Layer<P extends PyTree = PyTree, S extends PyTree = PyTree> {
  /** Kind of layer, for messages (`'linear'`, `'batchNorm'`, ...). */
  readonly kind: string;
  /** Draws the parameters for inputs of per-example shape `inputShape`. */
  init(rng: Generator, inputShape: readonly number[], options?: LayerInitOptions): P;
  /** The initial state (running statistics); `{}` for stateless layers. */
  initState(inputShape: readonly number[], options?: LayerInitOptions): S;
  /** The per-example output shape for a per-example input shape (throws a ShapeError if incompatible). */
  outputShape(inputShape: readonly number[]): number[];
  /** Maps a batch `x` (leading batch axis) through the layer. */
  apply(params: P, x: NDArray, options?: ApplyOptions<S>): LayerOutput<S>;
}

/** The empty parameter/state tree of layers that hold none. @public */
export type Empty = Record<string, never>;

/** Builds a stateless layer from its parts; `forward` gets the options for rng/training. */
export function statelessLayer<P extends PyTree>(
  kind: string,
  parts: {
    init: (rng: Generator, inputShape: readonly number[], options: LayerInitOptions) => P;
    outputShape: (inputShape: readonly number[]) => number[];
    forward: (params: P, x: NDArray, options: ApplyOptions) => NDArray;
  },
): Layer<P, Empty> {
  return {
    kind,
    init: (rng, inputShape, options = {}) => parts.init(rng, inputShape, options),
    initState: () => ({}),
    outputShape: parts.outputShape,
    apply: (params, x, options = {}) => ({ y: parts.forward(params, x, options), state: {} }),
  };
}
