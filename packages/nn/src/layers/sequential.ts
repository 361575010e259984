import type { PyTree } from '@sciml/autodiff';
import type { NDArray } from '@sciml/linalg';
import { activation } from './activation.js';
import type { ApplyOptions, Layer } from './layer.js';

/** Parameters (or state) of a {@link sequential} model: one entry per layer, PyTorch's `layers.i.*` names. @public */
export type SequentialTree = {
  /** Entry i belongs to layer i (`{}` for layers without parameters). */
  layers: PyTree[];
};

/** A layer or a plain elementwise function (wrapped with `activation`). @public */
export type LayerLike = Layer | ((x: NDArray) => NDArray);

/** Wraps plain functions as activation layers. */
export function toLayer(l: LayerLike): Layer {
  return typeof l === 'function' ? (activation(l) as Layer) : l;
}

/**
 * Chains layers: y = f_n(…f_1(x)). Parameters and state are `{ layers: [...] }`, so the state dict names are
 * `layers.0.weight`, `layers.0.bias`, … as for a PyTorch module holding `self.layers = nn.Sequential(...)`.
 * Shapes are inferred layer by layer from the per-example input shape given to `init`.
 * @example `const mlp = sequential(linear(256), relu, linear(10));`
 * @public
 */
export function sequential(
  ...items: LayerLike[]
): Layer<SequentialTree, SequentialTree> & { readonly layers: readonly Layer[] } {
  const layers = items.map(toLayer);
  const shapes = (inputShape: readonly number[]): number[][] => {
    const out = [[...inputShape]];
    for (const l of layers) out.push(l.outputShape(out[out.length - 1]!));
    return out;
  };
  return {
    kind: 'sequential',
    layers,
    init(rng, inputShape, options) {
      const s = shapes(inputShape);
      return { layers: layers.map((l, i) => l.init(rng, s[i]!, options)) };
    },
    initState(inputShape, options) {
      const s = shapes(inputShape);
      return { layers: layers.map((l, i) => l.initState(s[i]!, options)) };
    },
    outputShape: (inputShape) => shapes(inputShape)[layers.length]!,
    apply(params, x, options: ApplyOptions<SequentialTree> = {}) {
      let y = x;
      const next: PyTree[] = [];
      layers.forEach((l, i) => {
        const out = l.apply(params.layers[i]!, y, {
          ...options,
          state: options.state?.layers[i],
        });
        y = out.y;
        next.push(out.state);
      });
      return { y, state: { layers: next } };
    },
  };
}
