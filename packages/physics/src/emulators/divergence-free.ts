import { grad, type PyTree } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ShapeError,
  add,
  formatShape,
  neg,
  reshape,
  slice,
  stack,
  sum,
} from '@sciml/linalg';
import type { Layer } from '@sciml/nn';

/**
 * A 2-D velocity field that is divergence-free by construction: a network predicts the stream function
 * ψ(x, y[, t]) and the velocity is its perpendicular gradient u = ∇⊥ψ = (∂ψ/∂y, −∂ψ/∂x), taken by reverse-mode
 * autodiff. Then ∇·u = ψ_yx − ψ_xy = 0 identically (equality of mixed partials), so incompressibility holds
 * to round-off for any parameters — a hard constraint, not a penalty (lecture notes: "no matter what linear
 * physics you can always design a model M so that it is hard constrained by the divergence").
 * @public
 */
export interface StreamFunctionField<P extends PyTree = PyTree> {
  /** Inputs per point: 2 (x, y) or 3 (x, y, t). */
  readonly inputs: 2 | 3;
  /** Draws the network's parameters. */
  init(rng: Generator): P;
  /** ψ at each point (rows (x, y[, t]) of an (N × inputs) array), shape (N). */
  streamFunction(params: P, points: NDArray): NDArray;
  /** u = (∂ψ/∂y, −∂ψ/∂x) at each point, shape (N × 2); differentiable in the parameters. */
  velocity(params: P, points: NDArray): NDArray;
  /** ∇·u = ∂u/∂x + ∂v/∂y at each point by a second autodiff pass, shape (N): zero to round-off. */
  divergence(params: P, points: NDArray): NDArray;
}

/** Column j of an (N × d) array as an (N) vector. */
function column(a: NDArray, j: number): NDArray {
  return reshape(slice(a, null, { start: j, stop: j + 1 }), [a.shape[0]!]);
}

/**
 * Builds a {@link StreamFunctionField} from a network with one scalar output per point (inputs (x, y) or
 * (x, y, t)). Each point's ψ depends only on that point, so ∂(Σψ)/∂points gives every point's gradient in
 * one reverse pass.
 * @example
 * ```ts
 * const field = streamFunctionField(sequential(linear(32), tanh, linear(32), tanh, linear(1)), { inputs: 3 });
 * const uv = field.velocity(field.init(new Generator(0)), points); // (N × 2), ∇·uv = 0
 * ```
 * @public
 */
export function streamFunctionField<P extends PyTree>(
  network: Layer<P>,
  options: { inputs?: 2 | 3 } = {},
): StreamFunctionField<P> {
  const d = options.inputs ?? 2;
  if (d !== 2 && d !== 3)
    throw new ShapeError('streamFunctionField', `inputs must be 2 or 3, got ${String(d)}`);
  const check = (op: string, points: NDArray) => {
    if (points.ndim !== 2 || points.shape[1] !== d)
      throw new ShapeError(
        `StreamFunctionField.${op}`,
        `expects points (N × ${d}), got ${formatShape(points.shape)}`,
      );
  };
  const psi = (params: P, points: NDArray): NDArray => {
    const out = network.apply(params, points).y;
    if (out.ndim !== 2 || out.shape[1] !== 1)
      throw new ShapeError(
        'streamFunctionField',
        `the network must give one output per point, got ${formatShape(out.shape)}`,
      );
    return reshape(out, [points.shape[0]!]);
  };
  const velocity = (params: P, points: NDArray): NDArray => {
    const g = grad((p: NDArray) => sum(psi(params, p)))(points);
    return stack([column(g, 1), neg(column(g, 0))], { axis: 1 });
  };
  return {
    inputs: d,
    init: (rng) => network.init(rng, [d]),
    streamFunction: (params, points) => {
      check('streamFunction', points);
      return psi(params, points);
    },
    velocity: (params, points) => {
      check('velocity', points);
      return velocity(params, points);
    },
    divergence: (params, points) => {
      check('divergence', points);
      const du = grad((p: NDArray) => sum(column(velocity(params, p), 0)))(points);
      const dv = grad((p: NDArray) => sum(column(velocity(params, p), 1)))(points);
      return add(column(du, 0), column(dv, 1));
    },
  };
}
