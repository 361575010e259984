// The neural tangent kernel (Jacot, Gabriel & Hongler 2018) of a model at its current parameters, and the
// first-order Taylor model in the parameters (Lee et al. 2019, "Wide neural networks of any depth evolve as
// linear models under gradient descent").
import { type PyTree, jacobian, jvp, treeLeaves, treeMap } from '@sciml/autodiff';
import { type NDArray, ShapeError, add, formatShape, matmul, reshape, sub } from '@sciml/linalg';

/** A model as a function of parameters and a batch: outputs `[N]` or `[N, out]`. @public */
export type ModelFn<P extends PyTree = PyTree> = (params: P, x: NDArray) => NDArray;

function jacobianRows<P extends PyTree>(f: ModelFn<P>, params: P, x: NDArray): NDArray[] {
  const y = f(params, x);
  if (y.ndim !== 1 && y.ndim !== 2)
    throw new ShapeError(
      'empiricalNtk',
      `the model must return [N] or [N, out], got ${formatShape(y.shape)}`,
    );
  const rows = y.size;
  const J = jacobian((p: P) => f(p, x))(params);
  return treeLeaves(J as PyTree).map((j) => reshape(j, [rows, j.size / rows]));
}

/**
 * Empirical NTK Θ(x₁, x₂) = J(x₁) J(x₂)ᵀ with J = ∂f/∂θ at `params` (Jacot et al. 2018): shape
 * `[N₁·out, N₂·out]`, rows ordered (example, output) — for scalar outputs the `[N₁, N₂]` Gram matrix.
 * @public
 */
export function empiricalNtk<P extends PyTree>(
  f: ModelFn<P>,
  params: P,
  x1: NDArray,
  x2: NDArray = x1,
): NDArray {
  const J1 = jacobianRows(f, params, x1);
  const J2 = x2 === x1 ? J1 : jacobianRows(f, params, x2);
  let theta: NDArray | undefined;
  J1.forEach((a, i) => {
    const t = matmul(a, J2[i]!, { transB: true });
    theta = theta === undefined ? t : add(theta, t);
  });
  if (theta === undefined) throw new ShapeError('empiricalNtk', 'the parameters have no arrays');
  return theta;
}

/**
 * The model linearised in its parameters around θ₀: f_lin(θ, x) = f(θ₀, x) + J(θ₀, x)(θ − θ₀), evaluated
 * by one forward-mode product (no Jacobian is formed). Trained by gradient descent on a squared loss it
 * follows the NTK regime (Lee et al. 2019).
 * @public
 */
export function linearize<P extends PyTree>(f: ModelFn<P>, params0: P): ModelFn<P> {
  return (params, x) => {
    const delta = treeMap((p, p0) => sub(p, p0!), params, params0) as P;
    const [y0, dy] = jvp((p: P) => f(p, x), [params0], [delta]);
    return add(y0, dy);
  };
}
