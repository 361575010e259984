import {
  type NDArray,
  ShapeError,
  abs,
  add,
  exp,
  formatShape,
  log1p,
  logsumexp,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  shapesEqual,
  square,
  sub,
  sum,
} from '@sciml/linalg';

function sameShape(op: string, a: NDArray, b: NDArray): void {
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      op,
      `predictions ${formatShape(a.shape)} and targets ${formatShape(b.shape)} must have one shape`,
    );
  }
}

/** Mean squared error mean((ŷ − y)²). */
export function mseLoss(pred: NDArray, target: NDArray): NDArray {
  sameShape('mseLoss', pred, target);
  return mean(square(sub(pred, target)));
}

/** Mean absolute error mean|ŷ − y|. */
export function maeLoss(pred: NDArray, target: NDArray): NDArray {
  sameShape('maeLoss', pred, target);
  return mean(abs(sub(pred, target)));
}

/** Huber loss: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (Huber 1964), averaged. */
export function huberLoss(pred: NDArray, target: NDArray, delta = 1): NDArray {
  sameShape('huberLoss', pred, target);
  const r = abs(sub(pred, target));
  const quadratic = minimum(r, delta);
  // ½q² + δ(r − q) with q = min(r, δ) covers both branches without a select
  return mean(add(mul(square(quadratic), 0.5), mul(sub(r, quadratic), delta)));
}

/**
 * Binary cross-entropy from logits z with labels y ∈ [0, 1], mean of max(z, 0) − z·y + log(1 + e^{−|z|}):
 * the numerically stable form that never evaluates log(σ(z)) directly.
 */
export function binaryCrossEntropyWithLogits(logits: NDArray, labels: NDArray): NDArray {
  sameShape('binaryCrossEntropyWithLogits', logits, labels);
  return mean(add(sub(maximum(logits, 0), mul(logits, labels)), log1p(exp(neg(abs(logits))))));
}

/**
 * Softmax cross-entropy for logits (N, C) and one-hot or probability targets (N, C):
 * mean over rows of logsumexp(z) − Σ y·z (stable for any logit scale).
 */
export function softmaxCrossEntropy(logits: NDArray, targets: NDArray): NDArray {
  sameShape('softmaxCrossEntropy', logits, targets);
  if (logits.ndim !== 2)
    throw new ShapeError(
      'softmaxCrossEntropy',
      `needs (N, C) logits, got ${formatShape(logits.shape)}`,
    );
  return mean(sub(logsumexp(logits, { axis: 1 }), sum(mul(targets, logits), { axis: 1 })));
}
