// Deep operator networks: a branch net encodes the input function, a trunk net the query point.
import { type PyTree, jit, valueAndGrad } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  matmul,
  mean,
  square,
  sub,
  zeros,
} from '@sciml/linalg';
import type { Layer } from '@sciml/nn';
import { type LearningRate, adam, minimize } from '@sciml/optim';

/** Parameters of a {@link deepONet}. @public */
export interface DeepONetParams<B extends PyTree, T extends PyTree> {
  /** Branch network parameters. */
  branch: B;
  /** Trunk network parameters. */
  trunk: T;
  /** The scalar bias b₀. */
  bias: NDArray;
}

/** A DeepONet: init and apply, like a layer but with two inputs. @public */
export interface DeepONet<B extends PyTree, T extends PyTree> {
  /** Draws parameters for `sensors` input samples and `dim`-dimensional query points. */
  init(rng: Generator, sensors: number, dim: number): DeepONetParams<B, T>;
  /**
   * G[u](y) for every pair: u (N, sensors) input functions at the sensors, y (P, dim) query points;
   * returns (N, P) (the Cartesian-product form of Lu et al. 2022, one matmul).
   */
  apply(params: DeepONetParams<B, T>, u: NDArray, y: NDArray): NDArray;
}

/**
 * The unstacked deep operator network (Lu, Jin, Pang, Zhang & Karniadakis, Nat. Mach. Intell. 3 (2021)
 * 218–229, eq. 2): G[u](y) ≈ Σ_k b_k(u(x₁), …, u(x_m))·t_k(y) + b₀, with the branch net b: ℝ^m → ℝ^p and the
 * trunk net t: ℝ^d → ℝ^p any @sciml/nn layers of equal output width p.
 * @example `deepONet(sequential(linear(40), tanh, linear(40)), sequential(linear(40), tanh, linear(40), tanh))`
 * @public
 */
export function deepONet<B extends PyTree, T extends PyTree>(
  branch: Layer<B>,
  trunk: Layer<T>,
): DeepONet<B, T> {
  const op = 'deepONet';
  return {
    init(rng, sensors, dim) {
      const pb = branch.outputShape([sensors]);
      const pt = trunk.outputShape([dim]);
      if (pb.length !== 1 || pt.length !== 1 || pb[0] !== pt[0])
        throw new ShapeError(
          op,
          `branch and trunk must end in the same width p, got [${pb}] and [${pt}]`,
        );
      return {
        branch: branch.init(rng, [sensors]),
        trunk: trunk.init(rng, [dim]),
        bias: zeros([]),
      };
    },
    apply(params, u, y) {
      if (u.ndim !== 2 || y.ndim !== 2)
        throw new ShapeError(
          op,
          `u must be (N, sensors) and y (P, dim), got [${u.shape.join(', ')}] and [${y.shape.join(', ')}]`,
        );
      const b = branch.apply(params.branch, u).y;
      const t = trunk.apply(params.trunk, y).y;
      return add(matmul(b, t, { transB: true }), params.bias);
    },
  };
}

/** Options of {@link trainDeepONet}. @public */
export interface TrainDeepONetOptions {
  /** Adam phase (default 2000 steps, lr 1e-3). */
  adam?: { steps?: number; lr?: LearningRate };
  /**
   * L-BFGS polishing on the full batch (default 0 iterations; `memory`, the stored curvature pairs, default
   * 10): on these small least-squares fits it lowers the loss far faster per evaluation than Adam.
   */
  lbfgs?: { maxIter?: number; memory?: number };
  /** Called every `logEvery` Adam steps (default 200) with the step and the training loss. */
  onLog?: (step: number, loss: number) => void;
  /** Logging period (default 200). */
  logEvery?: number;
}

/**
 * Fits a DeepONet to data s_{ij} = G[u_i](y_j) by mean squared error, with Adam then optional L-BFGS; the
 * loss and gradient are compiled once by `jit`. Returns the trained parameters and the final loss.
 * @public
 */
export function trainDeepONet<B extends PyTree, T extends PyTree>(
  model: DeepONet<B, T>,
  params: DeepONetParams<B, T>,
  data: { u: NDArray; y: NDArray; s: NDArray },
  options: TrainDeepONetOptions = {},
): { params: DeepONetParams<B, T>; loss: number } {
  const { u, y, s } = data;
  if (s.ndim !== 2 || s.shape[0] !== u.shape[0] || s.shape[1] !== y.shape[0])
    throw new ShapeError(
      'trainDeepONet',
      `s must be (N, P) = (${u.shape[0]}, ${y.shape[0]}) for u (N, sensors) and y (P, dim), got [${s.shape.join(', ')}]`,
    );
  const loss = (p: DeepONetParams<B, T>) => mean(square(sub(model.apply(p, u, y), s)));
  const vg = jit(valueAndGrad(loss as unknown as (p: PyTree) => NDArray)) as unknown as (
    p: DeepONetParams<B, T>,
  ) => [NDArray, DeepONetParams<B, T>];
  const steps = options.adam?.steps ?? 2000;
  const logEvery = options.logEvery ?? 200;
  if (!(Number.isSafeInteger(steps) && steps >= 0))
    throw new ValueError('trainDeepONet', `adam.steps must be an integer ≥ 0, got ${steps}`);
  const opt = adam({ lr: options.adam?.lr ?? 1e-3 });
  let state = opt.init(params as unknown as PyTree);
  let p = params;
  let last = Number.NaN;
  for (let i = 0; i < steps; i++) {
    const [l, g] = vg(p);
    last = l.item() as number;
    if (i % logEvery === 0) options.onLog?.(i, last);
    const next = opt.update(p as unknown as PyTree, g as unknown as PyTree, state);
    p = next.params as unknown as DeepONetParams<B, T>;
    state = next.state;
  }
  const maxIter = options.lbfgs?.maxIter ?? 0;
  if (maxIter > 0) {
    const res = minimize(loss, p, {
      method: 'lbfgs',
      maxIter,
      memory: options.lbfgs?.memory ?? 10,
      gtol: 1e-12,
      valueAndGrad: vg,
    });
    p = res.x;
  }
  last = vg(p)[0].item() as number;
  return { params: p, loss: last };
}
