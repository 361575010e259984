import { type PyTree, treeLeaves, treeMap } from '@sciml/autodiff';
import { type NDArray, ValueError, mul } from '@sciml/linalg';

/** Values logged at the end of an epoch: `loss`, each metric, and `val_…` with validation data. @public */
export type EpochLogs = Readonly<Record<string, number>>;

/** What a callback may do to the run. @public */
export interface TrainingControl {
  /** Ends training after this epoch. */
  stop(): void;
  /**
   * The current parameters. `fit` frees each step's parameters once the next step has replaced them, so a
   * callback that keeps them past its call keeps a copy (as `earlyStopping` does).
   */
  readonly params: PyTree;
  /** Replaces the parameters (e.g. restore the best ones). */
  setParams(params: PyTree): void;
}

/** Hooks `fit` calls. @public */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(info: { epochs: number; stepsPerEpoch: number }): void;
  /** After each optimiser step, with the batch loss. */
  onBatchEnd?(info: { epoch: number; step: number; stepsPerEpoch: number; loss: number }): void;
  /** After each epoch, with its logs. */
  onEpochEnd?(epoch: number, logs: EpochLogs, control: TrainingControl): void;
  /** After training. */
  onTrainEnd?(logs: EpochLogs | undefined): void;
}

/** Options of {@link earlyStopping}. @public */
export interface EarlyStoppingOptions {
  /** Logged value to watch (default `'val_loss'`, falling back to `'loss'` without validation data). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 5). */
  patience?: number;
  /** Smallest decrease that counts as improvement (default 0). */
  minDelta?: number;
  /** `'min'` (losses, default) or `'max'` (accuracies). */
  mode?: 'min' | 'max';
  /** Put back the parameters of the best epoch when stopping or at the end (default true). */
  restoreBest?: boolean;
}

/**
 * Stops training when the monitored value has not improved for `patience` epochs (Prechelt 1998), restoring
 * the best parameters (Keras' `EarlyStopping(restore_best_weights=True)`). `stoppedEpoch` tells when.
 * @public
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback & {
  readonly stoppedEpoch: number | undefined;
  readonly bestEpoch: number | undefined;
} {
  const patience = options.patience ?? 5;
  if (!Number.isSafeInteger(patience) || patience < 0)
    throw new ValueError('earlyStopping', `patience must be an integer ≥ 0, got ${patience}`);
  const minDelta = options.minDelta ?? 0;
  const sign = options.mode === 'max' ? -1 : 1;
  let best = Number.POSITIVE_INFINITY;
  let bestParams: PyTree | undefined;
  let bad = 0;
  let stoppedEpoch: number | undefined;
  let bestEpoch: number | undefined;
  let restore: ((p: PyTree) => void) | undefined;
  return {
    get stoppedEpoch() {
      return stoppedEpoch;
    },
    get bestEpoch() {
      return bestEpoch;
    },
    onTrainBegin() {
      best = Number.POSITIVE_INFINITY;
      bad = 0;
      stoppedEpoch = undefined;
      bestEpoch = undefined;
      bestParams = undefined;
    },
    onEpochEnd(epoch, logs, control) {
      const key = options.monitor ?? (Object.hasOwn(logs, 'val_loss') ? 'val_loss' : 'loss');
      // own keys only: monitor: 'constructor' must not read Object.prototype's member
      const v = Object.hasOwn(logs, key) ? logs[key] : undefined;
      if (v === undefined)
        throw new ValueError(
          'earlyStopping',
          `monitors '${key}', which is not logged (logged: ${Object.keys(logs).join(', ')})`,
        );
      restore = (p) => control.setParams(p);
      const score = sign * v;
      if (score < best - minDelta) {
        best = score;
        bad = 0;
        bestEpoch = epoch;
        if (options.restoreBest ?? true) {
          // a copy: fit frees the parameters of earlier steps once it has replaced them
          for (const a of treeLeaves(bestParams ?? [])) a.dispose();
          bestParams = treeMap((a: NDArray) => mul(a, 1), control.params);
        }
      } else if (++bad > patience) {
        stoppedEpoch = epoch;
        control.stop();
      }
    },
    onTrainEnd() {
      if ((options.restoreBest ?? true) && bestParams !== undefined) restore?.(bestParams);
    },
  };
}

/** Where progress goes: anything with `write` (a Node stream, or a collector in tests). @public */
export interface ProgressOutput {
  write(text: string): unknown;
  /** True on an interactive terminal: draw a bar redrawn in place. */
  isTTY?: boolean;
}

const fmt = (logs: EpochLogs): string =>
  Object.entries(logs)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`)
    .join(' - ');

/**
 * Progress reporting: on a terminal a bar redrawn in place per step; elsewhere (CI logs, files) one plain
 * line per epoch, so logs stay readable.
 * @public
 */
export function progressBar(output: ProgressOutput, options: { width?: number } = {}): Callback {
  const width = options.width ?? 30;
  let epochs = 0;
  let start = 0;
  const tty = output.isTTY === true;
  return {
    onTrainBegin(info) {
      epochs = info.epochs;
      start = performance.now();
    },
    onBatchEnd({ epoch, step, stepsPerEpoch, loss }) {
      if (!tty) return;
      const done = Math.round((width * (step + 1)) / stepsPerEpoch);
      const bar = `${'='.repeat(Math.max(0, done - 1))}${done > 0 ? '>' : ''}${' '.repeat(width - done)}`;
      output.write(
        `\rEpoch ${epoch + 1}/${epochs} [${bar}] ${step + 1}/${stepsPerEpoch} - loss ${loss.toFixed(4)}`,
      );
    },
    onEpochEnd(epoch, logs) {
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      const line = `Epoch ${epoch + 1}/${epochs} - ${fmt(logs)} - ${seconds} s`;
      output.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}
