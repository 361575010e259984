import type { PyTree } from '@sciml/autodiff';
import {
  type NDArray,
  ShapeError,
  ValueError,
  add,
  formatShape,
  mean,
  mul,
  reshape,
  square,
  sub,
} from '@sciml/linalg';
import type { Layer } from '@sciml/nn';
import { minimize } from '@sciml/optim';
import type { Emulator } from './emulator.js';

/** Options of {@link hybridEmulator}. @public */
export interface HybridEmulatorOptions {
  /** State dimension n. */
  dim: number;
  /** Time step of the RK4 solver. */
  dt: number;
  /**
   * Apply the correction network to each variable alone, shared across sites (a local parameterisation
   * U(xₖ), as in Wilks 2005): the network maps 1 input to 1 output. Otherwise it maps n to n (default false).
   */
  local?: boolean;
  /** Multiplies the network's output (default 1): the scale of the missing term. */
  outputScale?: number;
  /** Divides the network's input (default 1): the scale of the state. */
  inputScale?: number;
}

/**
 * A hybrid physics + machine-learning model du/dt = f_phys(u) + U_θ(u): a cheap or incomplete physical
 * tendency `physics` (batch (B × n) → (B × n), written with differentiable @sciml/linalg ops) plus a learned
 * correction U_θ, advanced by the classical RK4 step. It is an {@link Emulator} in the `'rk4'` form, so
 * `trainEmulator` with `rolloutSteps > 1` trains the correction "online", through the solver (Rasp 2020,
 * "Coupled online learning as a way to tackle instabilities and biases in neural network
 * parameterizations", GMD 13:2185), while fitting U_θ to diagnosed model errors is the "offline" route
 * ({@link fitCorrectionOffline}).
 * @public
 */
export function hybridEmulator<P extends PyTree>(
  physics: (u: NDArray) => NDArray,
  correction: Layer<P>,
  options: HybridEmulatorOptions,
): Emulator<P> & { correction(params: P, u: NDArray): NDArray } {
  const op = 'hybridEmulator';
  const { dim: n, dt } = options;
  const local = options.local ?? false;
  const outScale = options.outputScale ?? 1;
  const inScale = options.inputScale ?? 1;
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(op, `dim must be a positive integer, got ${n}`);
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(op, `dt must be finite and > 0, got ${dt}`);
  if (!(outScale > 0) || !(inScale > 0))
    throw new ValueError(op, 'inputScale and outputScale must be > 0');
  const U = (params: P, u: NDArray): NDArray => {
    const B = u.shape[0]!;
    const z = mul(local ? reshape(u, [B * n, 1]) : u, 1 / inScale);
    const y = correction.apply(params, z).y;
    return mul(local ? reshape(y, [B, n]) : y, outScale);
  };
  const N = (params: P, u: NDArray): NDArray => add(physics(u), U(params, u));
  const step = (params: P, u: NDArray): NDArray => {
    const k1 = N(params, u);
    const k2 = N(params, add(u, mul(k1, dt / 2)));
    const k3 = N(params, add(u, mul(k2, dt / 2)));
    const k4 = N(params, add(u, mul(k3, dt)));
    return add(u, mul(add(add(k1, k4), mul(add(k2, k3), 2)), dt / 6));
  };
  const check = (where: string, u: NDArray) => {
    if (u.ndim !== 2 || u.shape[1] !== n)
      throw new ShapeError(
        `hybridEmulator.${where}`,
        `expects states (batch × ${n}), got ${formatShape(u.shape)}`,
      );
  };
  return {
    form: 'rk4',
    dt,
    dim: n,
    network: correction,
    init: (rng) => correction.init(rng, [local ? 1 : n]),
    tendency: (params, u) => {
      check('tendency', u);
      return N(params, u);
    },
    correction: (params, u) => {
      check('correction', u);
      return U(params, u);
    },
    step: (params, u) => {
      check('step', u);
      return step(params, u);
    },
    rollout: (params, u0, steps) => {
      check('rollout', u0);
      const out = [u0];
      for (let k = 0; k < steps; k++) out.push(step(params, out[k]!));
      return out;
    },
  };
}

/**
 * Offline training of a hybrid model's correction: fits U_θ(uᵢ) ≈ rᵢ by L-BFGS on the mean squared error,
 * where rᵢ are diagnosed model errors (the true tendency minus the physical one, or a term the physics
 * leaves out, such as Lorenz-96's coupling to its fast scale). Cheap and parallel, but blind to how the
 * errors of the corrected model feed back in a forecast; compare `trainEmulator(..., { rolloutSteps })`.
 * @public
 */
export function fitCorrectionOffline<P extends PyTree>(
  hybrid: ReturnType<typeof hybridEmulator<P>>,
  params: P,
  states: NDArray,
  residuals: NDArray,
  options: { maxIter?: number } = {},
): { params: P; loss: number } {
  if (
    states.ndim !== 2 ||
    residuals.ndim !== 2 ||
    states.shape[0] !== residuals.shape[0] ||
    states.shape[1] !== residuals.shape[1]
  )
    throw new ShapeError(
      'fitCorrectionOffline',
      `states and residuals must both be (samples × ${hybrid.dim}), got ${formatShape(states.shape)} and ${formatShape(residuals.shape)}`,
    );
  const result = minimize(
    (p: P) => mean(square(sub(hybrid.correction(p, states), residuals))),
    params,
    {
      method: 'lbfgs',
      maxIter: options.maxIter ?? 200,
      gtol: 0,
    },
  );
  return { params: result.x, loss: result.fun };
}
