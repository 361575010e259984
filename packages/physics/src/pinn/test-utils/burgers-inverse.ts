// Shared set-up of the inverse Burgers tests (not exported): scattered Cole–Hopf observations and the training run.
import type { PyTree } from '@sciml/autodiff';
import { Generator, type NDArray, add, fromTypedArray, mul, sin, square, sub } from '@sciml/linalg';
import { activation, linear, sequential, tanh } from '@sciml/nn';
import type { BfgsUpdate } from '@sciml/optim';
import { burgersReference } from '../../pde/burgers-reference.js';
import { dirichletBC } from '../conditions.js';
import { column } from '../geometry.js';
import { type PinnResult, trainPinn } from '../train.js';

/** The true coefficients: u_t + λ₁ u u_x − λ₂ u_xx = 0 with λ₁ = 1, λ₂ = 0.01/π. */
export const LAMBDA1 = 1;
export const LAMBDA2 = 0.01 / Math.PI;

let grid: Float64Array | undefined;

/**
 * `n` observations of the Cole–Hopf solution drawn without replacement from Raissi et al.'s 256 × 100 grid
 * (x ∈ [−1, 1], t ∈ [0, 0.99]), with Gaussian noise of standard deviation `noise`·std(u) added (their §4.1.2).
 */
export function burgersObservations(
  n: number,
  noise: number,
  rng: Generator,
): { points: NDArray; values: NDArray } {
  const nx = 256;
  const nt = 100;
  const xs = Array.from({ length: nx }, (_, i) => -1 + (2 * i) / (nx - 1));
  const ts = Array.from({ length: nt }, (_, j) => j / nt);
  // the Cole–Hopf grid is shared by the clean and the noisy run
  grid ??= burgersReference(xs, ts, LAMBDA2).dataSync() as Float64Array;
  const ref = grid;
  const pick = rng.permutation(nx * nt).slice(0, n);
  const points = new Float64Array(2 * n);
  const values = new Float64Array(n);
  // np.std of the clean samples, as Raissi et al.'s `noise*np.std(u_train)`
  let m = 0;
  for (const i of pick) m += ref[i]! / n;
  let ss = 0;
  for (const i of pick) ss += (ref[i]! - m) ** 2;
  const std = Math.sqrt(ss / n);
  pick.forEach((i, k) => {
    points[2 * k] = xs[Math.floor(i / nt)]!;
    points[2 * k + 1] = ts[i % nt]!;
    values[k] = ref[i]! + noise * std * rng.nextNormal();
  });
  return { points: fromTypedArray(points, [n, 2]), values: fromTypedArray(values, [n, 1]) };
}

/** Budget of one inverse run. */
export interface InverseBudget {
  adam: number;
  lr: number;
  /** Quasi-Newton iterations after Adam. */
  lbfgs: number;
  /** L-BFGS memory (ignored by the dense method). */
  memory: number;
  /** The quasi-Newton method: L-BFGS (default) or dense BFGS with this update (trainPinn's `bfgs`). */
  dense?: BfgsUpdate;
}

/** The network sees (X·x, t): a shock of width ~2ν ≈ 0.006 needs first-layer weights ~1/width otherwise. */
const X_SCALE = 12;

/**
 * Identifies λ₁ and λ₂ from 2 000 observations: a 4 × 20 tanh network on (12x, t) with the known initial and
 * boundary data as a hard constraint, û = −sin(πx) + t(1 − x²)·N(12x, t), the PDE residual at the observation
 * points, λ₁ and λ₂ eliminated by variable projection (`solve: 'leastSquares'`: λ* = argmin Σ r² for the
 * current network at every step, so only the network is trained), Adam then L-BFGS.
 */
export function identifyBurgers(
  noise: number,
  seed: number,
  budget: InverseBudget,
): PinnResult<PyTree> & { errors: [number, number] } {
  const obs = burgersObservations(2000, noise, new Generator(seed));
  const net = sequential(
    activation((x) => mul(x, fromTypedArray(new Float64Array([X_SCALE, 1]), [1, 2]))),
    linear(20),
    tanh,
    linear(20),
    tanh,
    linear(20),
    tanh,
    linear(20),
    tanh,
    linear(1),
  );
  const res = trainPinn({
    net,
    params: net.init(new Generator(seed + 1), [2]),
    pde: {
      residual: (D, v) =>
        sub(add(D.d(1), mul(v.lambda1!, mul(D.u, D.d(0)))), mul(v.lambda2!, D.d(0, 0))),
      points: obs.points,
    },
    conditions: [dirichletBC(obs.points, obs.values, { name: 'data' })],
    transform: (x, y) =>
      add(
        mul(-1, sin(mul(Math.PI, column(x, 0)))),
        mul(mul(column(x, 1), sub(1, square(column(x, 0)))), y),
      ),
    variables: { lambda1: { solve: 'leastSquares' }, lambda2: { solve: 'leastSquares' } },
    adam: { steps: budget.adam, lr: budget.lr },
    ...(budget.dense
      ? { bfgs: { maxIter: budget.lbfgs, update: budget.dense } }
      : { lbfgs: { maxIter: budget.lbfgs, memory: budget.memory } }),
  });
  return {
    ...(res as PinnResult<PyTree>),
    errors: [
      Math.abs(res.variables.lambda1! - LAMBDA1) / LAMBDA1,
      Math.abs(res.variables.lambda2! - LAMBDA2) / LAMBDA2,
    ],
  };
}
