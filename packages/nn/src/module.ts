import { type PyTree, treeMap } from '@sciml/autodiff';
import {
  type Backend,
  type FloatDType,
  Generator,
  type NDArray,
  ShapeError,
  ValueError,
  astype,
  formatShape,
  shapesEqual,
  toBackend,
} from '@sciml/linalg';
import type { Layer } from './layers/layer.js';
import { mapWithPath, namedLeaves } from './tree-paths.js';

/** Options of the {@link Module} constructor. @public */
export interface ModuleOptions {
  /** Per-example input shape (no batch axis), e.g. `[784]` or `[1, 28, 28]`. */
  inputShape: readonly number[];
  /** Generator the parameters are drawn from (default `new Generator(seed)`). */
  rng?: Generator;
  /** Seed used when no `rng` is given (default 0). */
  seed?: number;
  /** Parameter dtype (default float64). */
  dtype?: FloatDType;
}

/**
 * A thin stateful wrapper over a functional layer for PyTorch-style use: holds `params` and `state`, a
 * train/eval switch, and state-dict names. Everything it does is `layer.init`/`layer.apply`; `params` is a
 * plain pytree that `grad` and the optimisers take directly.
 * @example
 * ```ts
 * const model = new Module(sequential(linear(32), relu, linear(1)), { inputShape: [3] });
 * const y = model.forward(x);
 * ```
 * @public
 */
export class Module<P extends PyTree = PyTree, S extends PyTree = PyTree> {
  /** The functional layer. */
  readonly layer: Layer<P, S>;
  /** Per-example input shape. */
  readonly inputShape: readonly number[];
  /** Parameters (a pytree; replace it to update the model). */
  params: P;
  /** State such as running statistics (a pytree). */
  state: S;
  /** Training mode (dropout active, batch statistics); starts false, as after PyTorch's `eval()`. */
  training = false;

  /** Initialises the layer's parameters and state for `inputShape`. */
  constructor(layer: Layer<P, S>, options: ModuleOptions) {
    this.layer = layer;
    this.inputShape = [...options.inputShape];
    const rng = options.rng ?? new Generator(options.seed ?? 0);
    this.params = layer.init(rng, this.inputShape, { dtype: options.dtype });
    this.state = layer.initState(this.inputShape, { dtype: options.dtype });
  }

  /**
   * Moves the parameters and state to `backend` (PyTorch's `model.to(device)`), keeping their dtypes: a
   * float64 model must be built with `dtype: 'float32'` to go to a GPU (a `DTypeError` otherwise). Returns
   * the module; train it there with `fitAsync`.
   */
  toBackend(backend: Backend | string): this {
    const move = (tree: PyTree) => treeMap((a: NDArray) => toBackend(a, backend), tree);
    this.params = move(this.params) as P;
    this.state = move(this.state) as S;
    return this;
  }

  /** Output for a batch `x`; in training mode also updates `state` (pass `rng` for dropout). */
  forward(x: NDArray, options: { rng?: Generator } = {}): NDArray {
    const expected = x.shape.slice(1);
    if (x.ndim !== this.inputShape.length + 1 || !shapesEqual(expected, this.inputShape))
      throw new ShapeError(
        `${this.layer.kind}.forward`,
        `expects a batch [N, ${this.inputShape.join(', ')}], got ${formatShape(x.shape)}`,
      );
    const out = this.layer.apply(this.params, x, {
      state: this.state,
      training: this.training,
      rng: options.rng,
    });
    if (this.training) this.state = out.state;
    return out.y;
  }

  /** Per-example output shape. */
  get outputShape(): number[] {
    return this.layer.outputShape(this.inputShape);
  }

  /** Switches training mode on (or off with `false`); returns this. */
  train(mode = true): this {
    this.training = mode;
    return this;
  }

  /** Switches to evaluation mode; returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Number of scalar parameters. */
  get parameterCount(): number {
    let n = 0;
    for (const a of namedLeaves(this.params).values()) n += a.size;
    return n;
  }

  /** Parameters and state by PyTorch-style name (`layers.0.weight`, `layers.1.running_mean`). */
  stateDict(): Map<string, NDArray> {
    return new Map([...namedLeaves(this.params), ...namedLeaves(this.state)]);
  }

  /**
   * Replaces parameters and state from a state dict; every name must be present with the model's shape
   * (extra names are an error unless `strict: false`). Arrays are cast to each parameter's dtype.
   */
  loadStateDict(dict: ReadonlyMap<string, NDArray>, options: { strict?: boolean } = {}): void {
    const op = 'Module.loadStateDict';
    const used = new Set<string>();
    const pick = (name: string, current: NDArray): NDArray => {
      const a = dict.get(name);
      if (a === undefined)
        throw new ValueError(
          op,
          `the state dict has no '${name}' (shape ${formatShape(current.shape)})`,
        );
      if (!shapesEqual(a.shape, current.shape))
        throw new ShapeError(
          op,
          `'${name}' has shape ${formatShape(a.shape)} but the model's is ${formatShape(current.shape)}`,
        );
      used.add(name);
      return a.dtype === current.dtype ? a : astype(a, current.dtype);
    };
    const params = mapWithPath(this.params, pick);
    const state = mapWithPath(this.state, pick);
    if (options.strict !== false) {
      const extra = [...dict.keys()].filter((k) => !used.has(k));
      if (extra.length > 0)
        throw new ValueError(
          op,
          `unexpected names ${extra.join(', ')}; pass { strict: false } to ignore them`,
        );
    }
    this.params = params;
    this.state = state;
  }
}
