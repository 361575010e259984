// The training loop: mini-batches from @sciml/data, gradients from @sciml/autodiff, updates (and learning
// rate schedules, gradient clipping) from @sciml/optim. Deterministic: one seed drives shuffling and dropout.
import { type PyTree, valueAndGrad } from '@sciml/autodiff';
import { type Batches, batches } from '@sciml/data';
import {
  Generator,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  concat,
  formatShape,
  slice,
} from '@sciml/linalg';
import {
  type GradientOptimizer,
  type OptimizerState,
  clipByGlobalNorm,
  clipByValue,
} from '@sciml/optim';
import type { Module } from '../module.js';
import { type Callback, type EpochLogs, type ProgressOutput, progressBar } from './callbacks.js';
import type { Metric } from './metrics.js';

/** A loss of predictions and targets returning a scalar (e.g. `crossEntropyWithLogits`). @public */
export type LossFn = (pred: NDArray, target: NDArray) => NDArray;

/** Training data: `[x, y]` arrays (batched by `fit`) or ready-made `batches([x, y], ...)` from @sciml/data. @public */
export type TrainingData = readonly [NDArray, NDArray] | Batches<readonly [NDArray, NDArray]>;

/** Options of {@link fit}. @public */
export interface FitOptions {
  /** Optimiser from @sciml/optim (its `lr` may be a schedule: `cosineDecay`, `warmup`, ...). */
  optimizer: GradientOptimizer;
  /** Loss of a batch's predictions and targets. */
  loss: LossFn;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Rows per batch when `data` is `[x, y]` (default 32). */
  batchSize?: number;
  /** Seed of the shuffling and dropout streams (default 0): the same seed gives the same run. */
  seed?: number;
  /** Metrics logged per epoch (e.g. `[accuracyMetric]`). */
  metrics?: readonly Metric[];
  /** Held-out `[x, y]` evaluated after each epoch (logged as `val_loss`, `val_<metric>`). */
  validationData?: readonly [NDArray, NDArray];
  /** Hooks: `earlyStopping()`, custom logging, ... */
  callbacks?: readonly Callback[];
  /** Rescale the gradient to this global ℓ2 norm at most (Pascanu et al. 2013). */
  clipNorm?: number;
  /** Clip each gradient entry into [−c, c]. */
  clipValue?: number;
  /** Extra term added to the loss, e.g. `(p) => l2Penalty(p, 1e-4)`. */
  regularizer?: (params: PyTree) => NDArray;
  /** Print progress (default true): a bar on a terminal, a line per epoch otherwise. */
  verbose?: boolean;
  /** Where progress goes (default `process.stdout` where it exists). */
  output?: ProgressOutput;
  /** Optimiser state to resume from (e.g. loaded from a checkpoint). */
  optimizerState?: OptimizerState;
}

/** What {@link fit} returns. @public */
export interface History {
  /** Per-epoch logs (`loss`, metrics, `val_…`). */
  readonly epochs: EpochLogs[];
  /** The optimiser state after the last step (save it with the model to resume training). */
  readonly optimizerState: OptimizerState;
  /** True when a callback stopped training before `epochs`. */
  readonly stopped: boolean;
}

function defaultOutput(): ProgressOutput | undefined {
  const proc = (globalThis as { process?: { stdout?: ProgressOutput } }).process;
  return proc?.stdout;
}

function checkPair(op: string, x: NDArray, y: NDArray): void {
  if (x.ndim === 0 || y.ndim === 0 || x.shape[0] !== y.shape[0])
    throw new ShapeError(
      op,
      `inputs ${formatShape(x.shape)} and targets ${formatShape(y.shape)} need the same number of rows`,
    );
}

function positive(op: string, what: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1)
    throw new ValueError(op, `${what} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Trains `model` in place (its `params`, `state`) by mini-batch gradient descent on `loss`, Keras' `fit` over
 * the functional core: each step is `valueAndGrad` of the loss through `layer.apply` in training mode, then
 * `optimizer.update`. Returns the per-epoch logs and the final optimiser state.
 * @example
 * ```ts
 * const history = fit(model, [x, y], { optimizer: adam({ lr: 1e-3 }), loss: crossEntropyWithLogits,
 *   epochs: 5, batchSize: 128, metrics: [accuracyMetric], verbose: false });
 * ```
 * @public
 */
export function fit(model: Module, data: TrainingData, options: FitOptions): History {
  const op = 'fit';
  const epochs = positive(op, 'epochs', options.epochs ?? 1);
  const rng = new Generator(options.seed ?? 0);
  const shuffleRng = rng.split();
  const dropoutRng = rng.split();
  let loader: Batches<readonly [NDArray, NDArray]>;
  if (Array.isArray(data)) {
    const [x, y] = data as readonly [NDArray, NDArray];
    checkPair(op, x, y);
    loader = batches([x, y] as const, {
      batchSize: positive(op, 'batchSize', options.batchSize ?? 32),
      rng: shuffleRng,
    });
  } else loader = data as Batches<readonly [NDArray, NDArray]>;
  const metrics = options.metrics ?? [];
  const callbacks = [...(options.callbacks ?? [])];
  const output = options.output ?? defaultOutput();
  if ((options.verbose ?? true) && output) callbacks.unshift(progressBar(output));

  const { layer } = model;
  const objective = (params: PyTree, xb: NDArray, yb: NDArray) => {
    const out = layer.apply(params, xb, { state: model.state, training: true, rng: dropoutRng });
    let l = options.loss(out.y, yb);
    if (options.regularizer) l = add(l, options.regularizer(params));
    return [l, { y: out.y, state: out.state }] as const;
  };
  const step = valueAndGrad(objective, { hasAux: true });
  let optState = options.optimizerState ?? options.optimizer.init(model.params);
  let stopped = false;
  const history: EpochLogs[] = [];
  const control = {
    stop: () => {
      stopped = true;
    },
    get params() {
      return model.params;
    },
    setParams: (p: PyTree) => {
      model.params = p;
    },
  };
  for (const c of callbacks) c.onTrainBegin?.({ epochs, stepsPerEpoch: loader.length });
  model.train();
  try {
    for (let epoch = 0; epoch < epochs && !stopped; epoch++) {
      let seen = 0;
      let lossSum = 0;
      const metricSums = metrics.map(() => 0);
      let s = 0;
      for (const [xb, yb] of loader) {
        const [[value, aux], grads] = step(model.params, xb, yb);
        let g: PyTree = grads;
        if (options.clipValue !== undefined) g = clipByValue(g, options.clipValue);
        if (options.clipNorm !== undefined) g = clipByGlobalNorm(g, options.clipNorm);
        const next = options.optimizer.update(model.params, g, optState);
        model.params = next.params;
        model.state = aux.state;
        optState = next.state;
        const n = xb.shape[0]!;
        const l = value.item();
        if (!Number.isFinite(l))
          throw new ValueError(
            op,
            `the loss became ${l} at epoch ${epoch + 1}, step ${s + 1}; lower the learning rate or clip gradients (clipNorm)`,
          );
        lossSum += l * n;
        metrics.forEach((m, i) => {
          metricSums[i]! += m.compute(aux.y, yb) * n;
        });
        seen += n;
        for (const c of callbacks)
          c.onBatchEnd?.({ epoch, step: s, stepsPerEpoch: loader.length, loss: l });
        s++;
      }
      const logs: Record<string, number> = { loss: lossSum / seen };
      metrics.forEach((m, i) => {
        logs[m.name] = metricSums[i]! / seen;
      });
      if (options.validationData) {
        const v = evaluate(model, options.validationData, { loss: options.loss, metrics });
        for (const [k, val] of Object.entries(v)) logs[`val_${k}`] = val;
        model.train();
      }
      history.push(logs);
      for (const c of callbacks) c.onEpochEnd?.(epoch, logs, control);
    }
  } finally {
    model.eval();
  }
  for (const c of callbacks) c.onTrainEnd?.(history[history.length - 1]);
  return { epochs: history, optimizerState: optState, stopped };
}

/**
 * Model outputs for `x` in evaluation mode, computed in batches of `batchSize` (default 256) and joined.
 * @public
 */
export function predict(model: Module, x: NDArray, options: { batchSize?: number } = {}): NDArray {
  const bs = positive('predict', 'batchSize', options.batchSize ?? 256);
  const wasTraining = model.training;
  model.eval();
  try {
    const outs: NDArray[] = [];
    const n = x.shape[0] ?? 0;
    for (let i = 0; i < n; i += bs) {
      const xb = n <= bs ? x : sliceAxis0(x, i, Math.min(n, i + bs));
      outs.push(model.forward(xb));
    }
    return outs.length === 1 ? outs[0]! : concat(outs, { axis: 0 });
  } finally {
    model.train(wasTraining);
  }
}

function sliceAxis0(x: NDArray, start: number, stop: number): NDArray {
  return slice(x, { start, stop });
}

/**
 * Loss and metrics of `model` on `[x, y]` in evaluation mode, averaged over all rows (batches of
 * `batchSize`, default 256).
 * @public
 */
export function evaluate(
  model: Module,
  data: readonly [NDArray, NDArray],
  options: { loss: LossFn; metrics?: readonly Metric[]; batchSize?: number },
): Record<string, number> {
  const [x, y] = data;
  checkPair('evaluate', x, y);
  const bs = positive('evaluate', 'batchSize', options.batchSize ?? 256);
  const metrics = options.metrics ?? [];
  const wasTraining = model.training;
  model.eval();
  const n = x.shape[0]!;
  let lossSum = 0;
  const sums = metrics.map(() => 0);
  try {
    for (let i = 0; i < n; i += bs) {
      const stop = Math.min(n, i + bs);
      const xb = n <= bs ? x : sliceAxis0(x, i, stop);
      const yb = n <= bs ? y : sliceAxis0(y, i, stop);
      const pred = model.forward(xb);
      const m = stop - i;
      lossSum += options.loss(pred, yb).item() * m;
      metrics.forEach((metric, k) => {
        sums[k]! += metric.compute(pred, yb) * m;
      });
    }
  } finally {
    model.train(wasTraining);
  }
  const out: Record<string, number> = { loss: lossSum / n };
  metrics.forEach((m, k) => {
    out[m.name] = sums[k]! / n;
  });
  return out;
}
