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
  const op = 'accuracy';
  const n = pred.shape[0] ?? 0;
  if (pred.ndim === 2 && pred.shape[1]! >= 2) {
    const predicted = argmax(pred, { axis: 1 });
    const truth = classesOf(op, target, n);
    return mean(
      astype(equal(astype(predicted, 'float64'), astype(truth, 'float64')), 'float64'),
    ).item();
  }
  if (pred.ndim === 1 || (pred.ndim === 2 && pred.shape[1] === 1)) {
    const p = astype(greater(reshape(pred, [n]), 0), 'float64');
    const t = astype(greater(reshape(target, [n]), 0.5), 'float64');
    return mean(astype(equal(p, t), 'float64')).item();
  }
  throw new ShapeError(
    op,
    `expects scores [N, C] or logits [N] / [N, 1], got ${formatShape(pred.shape)}`,
  );
}

/** The {@link accuracy} metric for `fit`/`evaluate`. @public */
export const accuracyMetric: Metric = { name: 'accuracy', compute: accuracy };
