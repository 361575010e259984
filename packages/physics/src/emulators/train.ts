import { type PyTree, valueAndGrad } from '@sciml/autodiff';
import { Generator, type NDArray, ValueError, add, concat, mul, take } from '@sciml/linalg';
import { type GradientOptimizer, adam, minimize } from '@sciml/optim';
import type { Emulator } from './emulator.js';
import { jacobianPenalty, randomDirections, rolloutLoss, rolloutWindows } from './losses.js';

/** Options of {@link trainEmulator}. @public */
export interface TrainEmulatorOptions {
  /**
   * Steps K of the training loss: 1 (default) is the one-step, teacher-forced ("offline") loss; K > 1 the
   * unrolled rollout loss through the emulator's own outputs ("online"), with `checkpoint`.
   */
  rolloutSteps?: number;
  /** `'adam'` mini-batch (default) or `'lbfgs'` on the full batch (small networks, deterministic). */
  method?: 'adam' | 'lbfgs';
  /** Passes over the data (Adam) or L-BFGS iterations (default 100). */
  epochs?: number;
  /** Windows per mini-batch for Adam (default 256). */
  batchSize?: number;
  /** The stochastic optimiser for `'adam'` (default `adam({ lr: 1e-3 })`). */
  optimizer?: GradientOptimizer;
  /** Weight γ of the Jacobian penalty γ E‖J e‖² at the window starts, random unit e (default 0: off). */
  jacobianPenalty?: number;
  /** Windows start every `stride` samples (default 1). */
  stride?: number;
  /** Seed source for shuffling and penalty directions (default `new Generator(0)`). */
  rng?: Generator;
  /** Called after each epoch (Adam) or iteration (L-BFGS) with the loss. */
  callback?: (epoch: number, loss: number) => void;
}

/** What {@link trainEmulator} returns. @public */
export interface TrainEmulatorResult<P extends PyTree> {
  /** Trained parameters. */
  readonly params: P;
  /** Loss after each epoch (Adam: the mean over its batches) or L-BFGS iteration. */
  readonly history: number[];
}

/**
 * Trains an emulator on one or more trajectories (samples × n, spaced Δt) by the one-step or K-step rollout
 * loss, optionally with the Jacobian stability penalty: L(θ) = (1/K) Σₖ ‖M^k(u₀) − uₖ‖²/n + γ E‖J(u₀)e‖².
 * @example
 * ```ts
 * const { params } = trainEmulator(emu, emu.init(rng), trajectory, { method: 'lbfgs', epochs: 300 });
 * ```
 * @public
 */
export function trainEmulator<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  trajectories: NDArray | readonly NDArray[],
  options: TrainEmulatorOptions = {},
): TrainEmulatorResult<P> {
  const op = 'trainEmulator';
  const K = options.rolloutSteps ?? 1;
  const epochs = options.epochs ?? 100;
  const gamma = options.jacobianPenalty ?? 0;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new ValueError(op, `epochs must be an integer ≥ 1, got ${epochs}`);
  if (!(gamma >= 0)) throw new ValueError(op, `jacobianPenalty must be ≥ 0, got ${gamma}`);
  const list = Array.isArray(trajectories) ? trajectories : [trajectories as NDArray];
  const perTrajectory = list.map((t) => rolloutWindows(t, K, { stride: options.stride }));
  const windows = Array.from({ length: K + 1 }, (_, k) =>
    perTrajectory.length === 1
      ? perTrajectory[0]![k]!
      : concat(
          perTrajectory.map((w) => w[k]!),
          { axis: 0 },
        ),
  );
  const count = windows[0]!.shape[0]!;
  const n = emulator.dim;
  const rng = options.rng ?? new Generator(0);
  const history: number[] = [];
  const objective = (p: P, batch: readonly NDArray[], directions: NDArray | undefined): NDArray => {
    const loss = rolloutLoss(emulator, p, batch, { checkpoint: K > 1 });
    return directions
      ? add(loss, mul(jacobianPenalty(emulator, p, batch[0]!, directions), gamma))
      : loss;
  };
  if ((options.method ?? 'adam') === 'lbfgs') {
    const directions = gamma > 0 ? randomDirections(rng, count, n) : undefined;
    const result = minimize((p: P) => objective(p, windows, directions), params, {
      method: 'lbfgs',
      maxIter: epochs,
      gtol: 0,
      callback: (_x, f, it) => {
        history.push(f);
        options.callback?.(it, f);
      },
    });
    return { params: result.x, history };
  }
  const optimizer = options.optimizer ?? adam({ lr: 1e-3 });
  const batchSize = Math.min(options.batchSize ?? 256, count);
  const vg = valueAndGrad((p: P, batch: readonly NDArray[], d: NDArray | undefined) =>
    objective(p, batch, d),
  );
  let state = optimizer.init(params);
  let current = params;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(count);
    let total = 0;
    let batches = 0;
    for (let start = 0; start < count; start += batchSize) {
      const idx = order.slice(start, Math.min(start + batchSize, count));
      const batch = windows.map((w) => take(w, idx, 0));
      const d = gamma > 0 ? randomDirections(rng, idx.length, n) : undefined;
      const [value, grads] = vg(current, batch, d);
      const next = optimizer.update(current, grads as P, state);
      current = next.params as P;
      state = next.state;
      total += value.item();
      batches++;
    }
    history.push(total / batches);
    options.callback?.(epoch, total / batches);
  }
  return { params: current, history };
}
