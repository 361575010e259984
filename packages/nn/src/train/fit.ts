// The training loop: mini-batches from @sciml/data, gradients from @sciml/autodiff, updates (and learning
// rate schedules, gradient clipping) from @sciml/optim. Deterministic: one seed drives shuffling and dropout.
import { type PyTree, jit, treeLeaves, valueAndGrad } from '@sciml/autodiff';
import { type Batches, batches } from '@sciml/data';
import {
  type Backend,
  BackendError,
  Generator as Rng,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  concat,
  formatShape,
  mul,
  scope,
  slice,
} from '@sciml/linalg';
import {
  type GradientOptimizer,
  type OptimizerState,
  clipByGlobalNorm,
  clipByValue,
} from '@sciml/optim';
import type { Layer } from '../layers/layer.js';
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
  /**
   * Compile each step's loss and gradient with `jit` from @sciml/autodiff (traced once per batch shape; on the
   * CPU elementwise chains fuse into generated loops). `'auto'` (default) compiles when the parameters live on
   * the CPU, unless the model draws random numbers in training (dropout), whose draws a compiled program cannot
   * repeat; `true` compiles on any backend or throws for such a model; `false` always runs op by op.
   */
  jit?: boolean | 'auto';
  /**
   * Let a compiled step's optimiser update write the new parameters and optimiser state into the memory of
   * the ones they replace (JAX's buffer donation) instead of fresh memory, which on the CPU costs more than
   * the update's arithmetic (default true). Only arrays `fit` created itself are given up — never the model's
   * initial parameters, a given `optimizerState` or arrays a callback set — and never memory another array
   * can see (a reshape view, a typed array from `dataSync`); the replaced arrays are invalid after the step,
   * as without donation (where `fit` disposes them).
   */
  donate?: boolean;
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
 * The training loop as a coroutine: it yields the scalars it needs to read (batch losses, metric sums) as
 * arrays on the model's backend and receives their values, so one loop runs with synchronous reads
 * ({@link fit}) or asynchronous ones ({@link fitAsync}, for a GPU), reading once per logging step.
 */
type Reads<R> = Generator<readonly NDArray[], R, readonly number[]>;

/** Reads each scalar synchronously. */
function readSync<R>(steps: Reads<R>): R {
  let next = steps.next();
  while (!next.done) next = steps.next(next.value.map((a) => a.item()));
  return next.value;
}

/** Reads each scalar through the backend's asynchronous read (one wait for all of a logging step's). */
async function readAsync<R>(steps: Reads<R>): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    const values = await Promise.all(next.value.map(async (a) => Number((await a.data())[0])));
    next = steps.next(values);
  }
  return next.value;
}

/** A metric's value on a batch: a scalar array on the model's backend when the metric offers one. */
function metricValue(m: Metric, pred: NDArray, target: NDArray): NDArray | number {
  return m.computeArray ? m.computeArray(pred, target) : m.compute(pred, target);
}

/**
 * After a step replaced `before` by `after` (trees of parameters and states): frees the arrays of `before`
 * that the loop created (`owned`) and `after` no longer reaches, and takes ownership of the new ones. Arrays
 * the loop did not create (the model's initial parameters, a given optimiser state) are never freed.
 */
function release(owned: Set<NDArray>, before: readonly unknown[], after: readonly unknown[]): void {
  const old = new Set(treeLeaves(before as PyTree));
  const live = new Set(treeLeaves(after as PyTree));
  for (const a of old) {
    if (owned.has(a) && !live.has(a)) {
      owned.delete(a);
      a.dispose();
    }
  }
  for (const a of live) if (!old.has(a)) owned.add(a);
}

/**
 * Computes the pending values of a step's new parameters and states now, on a backend that defers
 * elementwise work (the GPU fuses chains lazily and a pending value holds its inputs' buffers): otherwise
 * the optimiser's moments would keep several earlier steps' buffers alive until a fusion limit forces them.
 * Backends without deferred work have no `materialize` and nothing happens.
 */
function settle(trees: readonly unknown[]): void {
  const byBackend = new Map<Backend, NDArray[]>();
  for (const a of treeLeaves(trees as PyTree)) {
    const list = byBackend.get(a.backend) ?? [];
    list.push(a);
    byBackend.set(a.backend, list);
  }
  for (const [backend, arrays] of byBackend) {
    backend.materialize?.(...arrays);
  }
}

/** The training loss of a batch (plus the regulariser), with the output and new layer state as aux. */
type Objective = (
  params: PyTree,
  state: PyTree,
  xb: NDArray,
  yb: NDArray,
  rng: Rng,
) => readonly [NDArray, { readonly y: NDArray; readonly state: PyTree }];

/** The objective a training step differentiates: it reads only the layer, the loss and the regulariser. */
function trainingObjective(
  layer: Layer<PyTree, PyTree>,
  loss: LossFn,
  regularizer: ((params: PyTree) => NDArray) | undefined,
): Objective {
  return (params, state, xb, yb, rng) => {
    const out = layer.apply(params, xb, { state, training: true, rng });
    let l = loss(out.y, yb);
    if (regularizer) l = add(l, regularizer(params));
    return [l, { y: out.y, state: out.state }] as const;
  };
}

/** A compiled training step: `[[loss, aux], gradient]` of {@link Objective} at the parameters. */
type CompiledStep = (
  params: PyTree,
  state: PyTree,
  xb: NDArray,
  yb: NDArray,
) => readonly [readonly [NDArray, { readonly y: NDArray; readonly state: PyTree }], PyTree];

/**
 * Compiled steps by layer, loss and regulariser (all a step's objective reads besides its inputs), so fit
 * called again on the same model and loss — a loop of one-epoch calls — reuses the traced program instead of
 * tracing and compiling it again. Weak in the layer: a model's programs go with it.
 */
const compiledSteps = new WeakMap<object, Map<LossFn, Map<unknown, CompiledStep>>>();

function compiledStepFor(
  layer: Layer<PyTree, PyTree>,
  loss: LossFn,
  regularizer: ((params: PyTree) => NDArray) | undefined,
): CompiledStep {
  let byLoss = compiledSteps.get(layer);
  if (byLoss === undefined) {
    byLoss = new Map();
    compiledSteps.set(layer, byLoss);
  }
  let byRegularizer = byLoss.get(loss);
  if (byRegularizer === undefined) {
    byRegularizer = new Map();
    byLoss.set(loss, byRegularizer);
  }
  let step = byRegularizer.get(regularizer);
  if (step === undefined) {
    const objective = trainingObjective(layer, loss, regularizer);
    // the compiled step takes the layer state as an input (a closure would bake the first step's state in) and
    // gets a generator that refuses to draw: random draws would be frozen into the program
    step = jit((params: PyTree, state: PyTree, xb: NDArray, yb: NDArray) =>
      valueAndGrad((p: PyTree) => objective(p, state, xb, yb, refusingGenerator()), {
        hasAux: true,
      })(params),
    ) as unknown as CompiledStep;
    byRegularizer.set(regularizer, step);
  }
  return step;
}

/** Thrown by {@link refusingGenerator} when a compiled training step tries to draw random numbers. */
class RandomUnderJit extends Error {}

/** A stand-in generator for compiled steps: any draw throws `RandomUnderJit` (fit then runs op by op). */
function refusingGenerator(): Rng {
  return new Proxy(new Rng(0), {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      return () => {
        throw new RandomUnderJit(`random draw (${String(prop)}) inside a compiled training step`);
      };
    },
  });
}

function* training(
  model: Module,
  data: TrainingData,
  options: FitOptions,
  logEvery: number,
): Reads<History> {
  const op = 'fit';
  const epochs = positive(op, 'epochs', options.epochs ?? 1);
  const rng = new Rng(options.seed ?? 0);
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

  const objective = trainingObjective(model.layer, options.loss, options.regularizer);
  const eagerStep = valueAndGrad(
    (params: PyTree, xb: NDArray, yb: NDArray) =>
      objective(params, model.state, xb, yb, dropoutRng),
    { hasAux: true },
  );
  const compiledStep = compiledStepFor(model.layer, options.loss, options.regularizer);
  const jitMode = options.jit ?? 'auto';
  // 'auto' compiles on the CPU, where jit fuses; on a GPU a compiled program runs op by op like eager code
  // (the backend fuses lazily) and would only add tracing and device constants
  let compile =
    jitMode === true ||
    (jitMode === 'auto' && treeLeaves(model.params).every((a) => a.backend.name === 'cpu'));
  // whether the last step ran compiled: only then are its gradients fresh arrays nothing else holds
  let ranCompiled = false;
  const step = (params: PyTree, xb: NDArray, yb: NDArray) => {
    ranCompiled = false;
    if (compile) {
      try {
        const out = compiledStep(params, model.state, xb, yb);
        ranCompiled = true;
        return out;
      } catch (e) {
        if (!(e instanceof RandomUnderJit)) throw e;
        if (jitMode === true)
          throw new ValueError(
            op,
            "the model draws random numbers in training (dropout), which a compiled step cannot repeat; train it with jit: 'auto' or false",
          );
        compile = false;
      }
    }
    return eagerStep(params, xb, yb);
  };
  let optState = options.optimizerState ?? options.optimizer.init(model.params);
  // arrays the loop created and frees once a later step no longer reaches them (never the caller's own)
  const owned = new Set<NDArray>(
    options.optimizerState ? [] : treeLeaves(optState as unknown as PyTree),
  );
  const donation = options.donate ?? true;
  /**
   * Whether this step may give up the parameters, gradients and optimiser slots to the update (buffer
   * donation): a compiled step's fresh gradients, and parameters and slots that the loop created itself,
   * each array once (a leaf shared between two places would be used after it was given up).
   */
  const mayDonate = (grads: PyTree): boolean => {
    if (!donation || !ranCompiled) return false;
    const mine = [...treeLeaves(model.params), ...treeLeaves(optState.slots as PyTree)];
    if (!mine.every((a) => owned.has(a))) return false;
    const all = [...mine, ...treeLeaves(grads)];
    return new Set(all).size === all.length;
  };
  // fit draws the batches itself from [x, y]: drawing them inside each step's scope frees the gathers too
  const drawInScope = Array.isArray(data);
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
      // metric sums stay on the model's backend (read once per epoch) when the metric computes arrays
      let metricSums: (NDArray | number)[] = metrics.map(() => 0);
      const pending: { step: number; loss: NDArray; n: number }[] = [];
      let s = 0;
      const batchesOfEpoch = loader[Symbol.iterator]();
      for (;;) {
        const drawn = drawInScope ? undefined : batchesOfEpoch.next();
        if (drawn?.done) break;
        // one optimiser step in a scope: its temporaries (activations, gradients, the batch) are freed when it
        // ends, and what it returns (new parameters, states, the loss, metric sums) survives
        const out = scope(() => {
          const batch = drawn ?? batchesOfEpoch.next();
          if (batch.done) return undefined;
          const [xb, yb] = batch.value;
          const [[value, aux], grads] = step(model.params, xb, yb);
          let g: PyTree = grads;
          if (options.clipValue !== undefined) g = clipByValue(g, options.clipValue);
          if (options.clipNorm !== undefined) g = clipByGlobalNorm(g, options.clipNorm);
          const next = options.optimizer.update(model.params, g, optState, {
            donate: mayDonate(g),
          });
          const n = xb.shape[0]!;
          const sums = metrics.map((m, i) => {
            const v = metricValue(m, aux.y, yb);
            const sum = metricSums[i]!;
            return typeof v === 'number' && typeof sum === 'number'
              ? sum + v * n
              : add(sum, mul(v, n));
          });
          return { params: next.params, state: aux.state, opt: next.state, loss: value, sums, n };
        });
        if (!out) break;
        const before = [model.params, model.state, optState];
        model.params = out.params;
        model.state = out.state;
        optState = out.opt;
        release(owned, before, [model.params, model.state, optState]);
        settle([model.params, model.state, optState]);
        for (const old of metricSums) if (typeof old !== 'number') old.dispose();
        metricSums = out.sums;
        seen += out.n;
        pending.push({ step: s, loss: out.loss, n: out.n });
        s++;
        if (pending.length < logEvery && s < loader.length) continue;
        // a logging step: read the losses of the steps since the last one, all at once
        const losses = yield pending.map((p) => p.loss);
        for (const p of pending) p.loss.dispose();
        for (const [k, p] of pending.entries()) {
          const l = losses[k]!;
          if (!Number.isFinite(l))
            throw new ValueError(
              op,
              `the loss became ${l} at epoch ${epoch + 1}, step ${p.step + 1}; lower the learning rate or clip gradients (clipNorm)`,
            );
          lossSum += l * p.n;
          for (const c of callbacks)
            c.onBatchEnd?.({ epoch, step: p.step, stepsPerEpoch: loader.length, loss: l });
        }
        pending.length = 0;
      }
      const onDevice = metricSums.filter((v): v is NDArray => typeof v !== 'number');
      const read = onDevice.length > 0 ? yield onDevice : [];
      for (const a of onDevice) a.dispose();
      let r = 0;
      const logs: Record<string, number> = { loss: lossSum / seen };
      metrics.forEach((m, i) => {
        const v = metricSums[i]!;
        logs[m.name] = (typeof v === 'number' ? v : read[r++]!) / seen;
      });
      if (options.validationData) {
        const v = yield* evaluation(model, options.validationData, {
          loss: options.loss,
          metrics,
        });
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
 * Trains `model` in place (its `params`, `state`) by mini-batch gradient descent on `loss`, Keras' `fit` over
 * the functional core: each step is `valueAndGrad` of the loss through `layer.apply` in training mode, then
 * `optimizer.update`. Returns the per-epoch logs and the final optimiser state. Reads values synchronously:
 * for a model on a GPU use {@link fitAsync}, the same loop with asynchronous reads.
 * @example
 * ```ts
 * const history = fit(model, [x, y], { optimizer: adam({ lr: 1e-3 }), loss: crossEntropyWithLogits,
 *   epochs: 5, batchSize: 128, metrics: [accuracyMetric], verbose: false });
 * ```
 * @public
 */
export function fit(model: Module, data: TrainingData, options: FitOptions): History {
  const backend = treeLeaves(model.params)[0]?.backend;
  if (backend && !backend.downloadSync)
    throw new BackendError(
      'fit',
      `the model's parameters live on the ${backend.name} backend, which is read asynchronously; train with 'await fitAsync(model, data, options)' (the same loop, reading once per logging step)`,
    );
  return readSync(training(model, data, options, 1));
}

/** Options of {@link fitAsync}: those of {@link fit}, and how often losses are read. @public */
export interface FitAsyncOptions extends FitOptions {
  /**
   * Read the batch losses every `logEvery` optimiser steps (default 1), all at once: between reads the
   * device runs steps back to back. `onBatchEnd` callbacks are called at each read, for every step since
   * the last one; a non-finite loss is reported at the read that sees it.
   */
  logEvery?: number;
}

/**
 * {@link fit} for a model whose parameters live on any backend, a GPU's included: the same loop, script and
 * numbers, but values are read with the backend's asynchronous read, once per logging step (`logEvery`) for
 * the losses and once per epoch for metrics that compute on the device (`Metric.computeArray`, as
 * `accuracyMetric` does), never per op. Dropout draws its masks on the device (`Generator.deviceUniform`).
 * @example
 * ```ts
 * const gpu = await useGpu();
 * const model = new Module(sequential(linear(64), relu, linear(10)), { inputShape: [784], backend: gpu });
 * const history = await fitAsync(model, [x, y], { optimizer: adam({ lr: 1e-3 }), loss: crossEntropyWithLogits, logEvery: 10 });
 * ```
 * @public
 */
export async function fitAsync(
  model: Module,
  data: TrainingData,
  options: FitAsyncOptions,
): Promise<History> {
  const logEvery = positive('fitAsync', 'logEvery', options.logEvery ?? 1);
  return readAsync(training(model, data, options, logEvery));
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

/** Options of {@link evaluate}. @public */
export interface EvaluateOptions {
  /** Loss of a batch's predictions and targets. */
  loss: LossFn;
  /** Metrics to average (e.g. `[accuracyMetric]`). */
  metrics?: readonly Metric[];
  /** Rows per batch (default 256). */
  batchSize?: number;
}

function* evaluation(
  model: Module,
  data: readonly [NDArray, NDArray],
  options: EvaluateOptions,
): Reads<Record<string, number>> {
  const [x, y] = data;
  checkPair('evaluate', x, y);
  const bs = positive('evaluate', 'batchSize', options.batchSize ?? 256);
  const metrics = options.metrics ?? [];
  const wasTraining = model.training;
  model.eval();
  const n = x.shape[0]!;
  // weighted sums, on the model's backend until the one read at the end
  let lossSum: NDArray | undefined;
  let sums: (NDArray | number)[] = metrics.map(() => 0);
  try {
    for (let i = 0; i < n; i += bs) {
      const stop = Math.min(n, i + bs);
      // one batch in a scope: the slices and activations are freed, the running sums survive
      const out = scope(() => {
        const xb = n <= bs ? x : sliceAxis0(x, i, stop);
        const yb = n <= bs ? y : sliceAxis0(y, i, stop);
        const pred = model.forward(xb);
        const m = stop - i;
        const l = mul(options.loss(pred, yb), m);
        const loss = lossSum ? add(lossSum, l) : l;
        const next = metrics.map((metric, k) => {
          const v = metricValue(metric, pred, yb);
          const sum = sums[k]!;
          return typeof v === 'number' && typeof sum === 'number'
            ? sum + v * m
            : add(sum, mul(v, m));
        });
        return { loss, next };
      });
      lossSum?.dispose();
      for (const old of sums) if (typeof old !== 'number') old.dispose();
      lossSum = out.loss;
      sums = out.next;
    }
  } finally {
    model.train(wasTraining);
  }
  const onDevice = sums.filter((v): v is NDArray => typeof v !== 'number');
  const read = lossSum ? yield [lossSum, ...onDevice] : [];
  lossSum?.dispose();
  for (const a of onDevice) a.dispose();
  const out: Record<string, number> = { loss: read[0]! / n };
  let r = 1;
  metrics.forEach((m, k) => {
    const v = sums[k]!;
    out[m.name] = (typeof v === 'number' ? v : read[r++]!) / n;
  });
  return out;
}

/**
 * Loss and metrics of `model` on `[x, y]` in evaluation mode, averaged over all rows (batches of
 * `batchSize`, default 256).
 * @public
 */
export function evaluate(
  model: Module,
  data: readonly [NDArray, NDArray],
  options: EvaluateOptions,
): Record<string, number> {
  return readSync(evaluation(model, data, options));
}

/** {@link evaluate} for a model on any backend (a GPU's): the sums stay on the device and are read once. @public */
export function evaluateAsync(
  model: Module,
  data: readonly [NDArray, NDArray],
  options: EvaluateOptions,
): Promise<Record<string, number>> {
  return readAsync(evaluation(model, data, options));
}
