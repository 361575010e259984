import { ValueError } from '@sciml/linalg';

/** A learning-rate schedule: step index (0-based) → learning rate. */
export type Schedule = (step: number) => number;

/** A learning rate given as a number or a schedule. */
export type LearningRate = number | Schedule;

/** Resolves a learning rate at `step`. */
export function rateAt(lr: LearningRate, step: number): number {
  return typeof lr === 'number' ? lr : lr(step);
}

/** η(t) = η₀. */
export function constantSchedule(lr: number): Schedule {
  return () => lr;
}

/** Step decay η(t) = η₀·γ^⌊t / every⌋. */
export function stepDecay(lr: number, options: { every: number; gamma?: number }): Schedule {
  if (!(options.every > 0))
    throw new ValueError('stepDecay', `every must be positive, got ${options.every}`);
  const gamma = options.gamma ?? 0.1;
  return (t) => lr * gamma ** Math.floor(t / options.every);
}

/** Exponential decay η(t) = η₀·γ^t. */
export function exponentialDecay(lr: number, options: { gamma: number }): Schedule {
  const { gamma } = options;
  if (!(gamma > 0))
    throw new ValueError('exponentialDecay', `gamma must be positive, got ${gamma}`);
  return (t) => lr * gamma ** t;
}

/** Cosine decay from η₀ to η_min over `steps` (Loshchilov & Hutter 2017, SGDR without restarts). */
export function cosineDecay(lr: number, options: { steps: number; minLr?: number }): Schedule {
  const { steps } = options;
  const minLr = options.minLr ?? 0;
  if (!(steps > 0)) throw new ValueError('cosineDecay', `steps must be positive, got ${steps}`);
  return (t) => minLr + 0.5 * (lr - minLr) * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps));
}

/** Linear warm-up from 0 to the schedule's value over `steps`, then the schedule (shifted by the warm-up). */
export function warmup(after: LearningRate, options: { steps: number }): Schedule {
  const { steps } = options;
  if (!(steps > 0)) throw new ValueError('warmup', `steps must be positive, got ${steps}`);
  return (t) => (t < steps ? (rateAt(after, 0) * (t + 1)) / steps : rateAt(after, t - steps));
}

/**
 * Reduce-on-plateau (as in PyTorch's `ReduceLROnPlateau`): multiplies the rate by `factor` when the monitored
 * loss has not improved by more than `threshold` (relative) for `patience` consecutive reports.
 */
export class ReduceOnPlateau {
  #lr: number;
  #best = Number.POSITIVE_INFINITY;
  #bad = 0;
  readonly #factor: number;
  readonly #patience: number;
  readonly #threshold: number;
  readonly #minLr: number;

  constructor(
    lr: number,
    options: { factor?: number; patience?: number; threshold?: number; minLr?: number } = {},
  ) {
    this.#lr = lr;
    this.#factor = options.factor ?? 0.1;
    this.#patience = options.patience ?? 10;
    this.#threshold = options.threshold ?? 1e-4;
    this.#minLr = options.minLr ?? 0;
  }

  /** Reports a loss; returns the (possibly reduced) learning rate. */
  report(loss: number): number {
    if (loss < this.#best * (1 - this.#threshold)) {
      this.#best = loss;
      this.#bad = 0;
    } else if (++this.#bad > this.#patience) {
      this.#lr = Math.max(this.#lr * this.#factor, this.#minLr);
      this.#bad = 0;
    }
    return this.#lr;
  }

  /** The current rate, as a schedule (ignores the step index). */
  get schedule(): Schedule {
    return () => this.#lr;
  }
}
