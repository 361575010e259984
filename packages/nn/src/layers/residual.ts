import type { PyTree } from '@sciml/autodiff';
import { ShapeError, add, formatShape, shapesEqual } from '@sciml/linalg';
import type { Layer } from './layer.js';
import { type LayerLike, toLayer } from './sequential.js';

/** Parameters (or state) of a residual block: the body's, and the shortcut's when it has one. @public */
export type ResidualTree = {
  /** The residual branch F. */
  body: PyTree;
  /** The projection on the skip path (present only with a `shortcut` layer). */
  shortcut?: PyTree;
};

/**
 * Residual block y = F(x) + x (He et al. 2016), or y = F(x) + P(x) with a `shortcut` layer P (e.g. a linear
 * projection) when F changes the shape.
 * @example `residual(sequential(linear(64), relu, linear(64)))`
 * @public
 */
export function residual(
  body: LayerLike,
  options: { shortcut?: LayerLike } = {},
): Layer<ResidualTree, ResidualTree> {
  const op = 'residual';
  const f = toLayer(body);
  const p = options.shortcut === undefined ? undefined : toLayer(options.shortcut);
  const outputShape = (s: readonly number[]): number[] => {
    const fs = f.outputShape(s);
    const ps = p ? p.outputShape(s) : [...s];
    if (!shapesEqual(fs, ps))
      throw new ShapeError(
        op,
        `the body maps ${formatShape(s)} to ${formatShape(fs)} but the skip path gives ${formatShape(ps)}; add a shortcut projection`,
      );
    return fs;
  };
  return {
    kind: op,
    init(rng, s, o) {
      outputShape(s);
      const body = f.init(rng, s, o);
      return p ? { body, shortcut: p.init(rng, s, o) } : { body };
    },
    initState: (s, o) =>
      p ? { body: f.initState(s, o), shortcut: p.initState(s, o) } : { body: f.initState(s, o) },
    outputShape,
    apply(params, x, options = {}) {
      const fb = f.apply(params.body, x, { ...options, state: options.state?.body });
      if (!p) return { y: add(fb.y, x), state: { body: fb.state } };
      const sk = p.apply(params.shortcut, x, { ...options, state: options.state?.shortcut });
      return { y: add(fb.y, sk.y), state: { body: fb.state, shortcut: sk.state } };
    },
  };
}
