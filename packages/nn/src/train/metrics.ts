import {
  type NDArray,
  ShapeError,
  argmax,
  astype,
  equal,
  formatShape,
  greater,
  mean,
  reshape,
} from '@sciml/linalg';

/** A metric: a name and a function of predictions and targets returning a number. @public */
export interface Metric {
  /** Name used in logs and history (`accuracy`). */
  readonly name: string;
  /** Value on one batch (averaged over its examples). */
  compute(pred: NDArray, target: NDArray): number;
  /**
   * The same value as a scalar array on the predictions' backend, unread (optional): `fitAsync` and
   * `evaluateAsync` then sum it on the device and read it once per epoch; a metric without it is read
   * synchronously, which a GPU cannot do.
   */
  computeArray?(pred: NDArray, target: NDArray): NDArray;
}

/** Class indices of targets: int labels `[N]` as given, one-hot/probability rows `[N, C]` by argmax. */
function classesOf(op: string, target: NDArray, n: number): NDArray {
  if (target.ndim === 1 && target.shape[0] === n) return target;
  if (target.ndim === 2 && target.shape[0] === n) return argmax(target, { axis: 1 });
  throw new ShapeError(op, `targets ${formatShape(target.shape)} do not match ${n} predictions`);
}

/**
 * Fraction of correct predictions. Scores `[N, C]` (C ≥ 2) are compared by argmax with integer labels `[N]`
 * or one-hot rows; a single logit per example (`[N]` or `[N, 1]`) predicts class 1 when it is > 0.
 * @public
 */
export function accuracy(pred: NDArray, target: NDArray): number {
  return accuracyArray(pred, target).item();
}

/** {@link accuracy} as a scalar array on the predictions' backend (float32 there when pred is float32). @public */
export function accuracyArray(pred: NDArray, target: NDArray): NDArray {
  const op = 'accuracy';
  // count in the predictions' float dtype: a GPU has no float64
  const f = pred.dtype === 'float32' ? 'float32' : 'float64';
  const n = pred.shape[0] ?? 0;
  if (pred.ndim === 2 && pred.shape[1]! >= 2) {
    const predicted = argmax(pred, { axis: 1 });
    const truth = classesOf(op, target, n);
    return mean(astype(equal(astype(predicted, f), astype(truth, f)), f));
  }
  if (pred.ndim === 1 || (pred.ndim === 2 && pred.shape[1] === 1)) {
    const p = astype(greater(reshape(pred, [n]), 0), f);
    const t = astype(greater(reshape(target, [n]), 0.5), f);
    return mean(astype(equal(p, t), f));
  }
  throw new ShapeError(
    op,
    `expects scores [N, C] or logits [N] / [N, 1], got ${formatShape(pred.shape)}`,
  );
}

/** The {@link accuracy} metric for `fit`/`evaluate`. @public */
export const accuracyMetric: Metric = {
  name: 'accuracy',
  compute: accuracy,
  computeArray: accuracyArray,
};
