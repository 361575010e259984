import { checkpoint, jvp, type PyTree } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  div,
  formatShape,
  fromTypedArray,
  mean,
  square,
  sub,
  sum,
} from '@sciml/linalg';
import type { Emulator } from './emulator.js';

/** Mean over the batch and variables of (a − b)². */
function mse(a: NDArray, b: NDArray): NDArray {
  return mean(square(sub(a, b)));
}

/**
 * The one-step (teacher-forced) empirical risk L(θ) = Eᵢ ‖uᵢ₊₁ − M(θ, uᵢ)‖² / n over a batch of pairs
 * (lecture notes, "AR emulation"): every step starts from a true state, so training is parallel over the
 * batch and sees no error accumulation.
 * @public
 */
export function oneStepLoss<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  u: NDArray,
  next: NDArray,
): NDArray {
  if (
    u.ndim !== 2 ||
    next.ndim !== 2 ||
    u.shape[0] !== next.shape[0] ||
    u.shape[1] !== next.shape[1]
  )
    throw new ShapeError(
      'oneStepLoss',
      `u and next must both be (batch × ${emulator.dim}), got ${formatShape(u.shape)} and ${formatShape(next.shape)}`,
    );
  return mse(emulator.step(params, u), next);
}

/** Options of {@link rolloutLoss}. @public */
export interface RolloutLossOptions {
  /**
   * Rematerialise each step in the backward pass (`checkpoint`): memory for K steps drops from every
   * intermediate of every step to the K states, for one extra forward step each (default true).
   */
  checkpoint?: boolean;
}

/**
 * The multi-step (unrolled) rollout loss (1/K) Σₖ ‖M^k(θ, u₀) − uₖ‖² / n, k = 1…K, over a batch of windows:
 * the emulator is fed its own outputs as it will be at inference, so training sees and reduces the error
 * growth of its rollouts (the "online" or "solver-in-the-loop" loss; Um et al. 2020, NeurIPS). `windows`
 * holds K + 1 states (batch × n): the window starts and the K true states after them
 * (`rolloutWindows` builds them from a trajectory).
 * @public
 */
export function rolloutLoss<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  windows: readonly NDArray[],
  options: RolloutLossOptions = {},
): NDArray {
  const K = windows.length - 1;
  if (K < 1)
    throw new ValueError(
      'rolloutLoss',
      `needs at least 2 states per window, got ${windows.length}`,
    );
  const step =
    options.checkpoint === false
      ? (p: P, u: NDArray) => emulator.step(p, u)
      : checkpoint((p: P, u: NDArray) => emulator.step(p, u));
  let u = windows[0]!;
  let total: NDArray | undefined;
  for (let k = 1; k <= K; k++) {
    u = step(params, u);
    const e = mse(u, windows[k]!);
    total = total ? add(total, e) : e;
  }
  return div(total!, K);
}

/**
 * Windows of K + 1 consecutive states of a trajectory (samples × n), starting every `stride` samples
 * (default 1): entry k is the (windows × n) array of the k-th state of every window — the input of
 * {@link rolloutLoss}.
 * @public
 */
export function rolloutWindows(
  trajectory: NDArray,
  steps: number,
  options: { stride?: number } = {},
): NDArray[] {
  const op = 'rolloutWindows';
  if (trajectory.ndim !== 2)
    throw new ShapeError(
      op,
      `expects a trajectory (samples × n), got ${formatShape(trajectory.shape)}`,
    );
  const [m, n] = trajectory.shape as [number, number];
  const stride = options.stride ?? 1;
  if (!Number.isInteger(steps) || steps < 1)
    throw new ValueError(op, `steps must be an integer ≥ 1, got ${steps}`);
  if (!Number.isInteger(stride) || stride < 1)
    throw new ValueError(op, `stride must be an integer ≥ 1, got ${stride}`);
  const count = Math.floor((m - 1 - steps) / stride) + 1;
  if (count < 1)
    throw new ShapeError(op, `a trajectory of ${m} samples holds no window of ${steps + 1}`);
  const x = trajectory.dataSync();
  return Array.from({ length: steps + 1 }, (_, k) => {
    const out = new Float64Array(count * n);
    for (let w = 0; w < count; w++)
      for (let j = 0; j < n; j++) out[w * n + j] = x[(w * stride + k) * n + j]!;
    return fromTypedArray(out, [count, n]);
  });
}

/**
 * The Jacobian stability penalty Eᵢ ‖J(uᵢ) eᵢ‖² of the step map, J = ∂M/∂u (lecture notes, "stability
 * analysis": an error propagates as eₜ = J eₜ₋₁, so L(θ) = ‖uₜ₊₁ − M(uₜ)‖² + γ‖J eₜ₋₁‖² damps its growth).
 * J e is one forward-mode product (`jvp`), differentiable in θ. With unit random directions e, E‖Je‖² =
 * ‖J‖_F²/n (Hutchinson), which bounds the spectral radius: ρ(J)² ≤ ‖J‖_F².
 * @public
 */
export function jacobianPenalty<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  u: NDArray,
  directions: NDArray,
): NDArray {
  if (
    directions.ndim !== 2 ||
    directions.shape[0] !== u.shape[0] ||
    directions.shape[1] !== u.shape[1]
  )
    throw new ShapeError(
      'jacobianPenalty',
      `directions must match u (${formatShape(u.shape)}), got ${formatShape(directions.shape)}`,
    );
  const [, Je] = jvp((x: NDArray) => emulator.step(params, x), [u], [directions]);
  return div(sum(square(Je)), u.shape[0]!);
}

/** B random unit vectors in ℝⁿ (rows of a (B × n) array), the directions of {@link jacobianPenalty}. @public */
export function randomDirections(rng: Generator, batch: number, n: number): NDArray {
  const e = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    let norm = 0;
    for (let j = 0; j < n; j++) {
      e[b * n + j] = rng.nextNormal();
      norm += e[b * n + j]! ** 2;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < n; j++) e[b * n + j]! /= norm;
  }
  return fromTypedArray(e, [batch, n]);
}
