// Losses with PyTorch's `reduction` ('mean' | 'sum' | 'none'), written in their numerically stable forms.
import {
  type NDArray,
  ShapeError,
  ValueError,
  abs,
  add,
  astype,
  equal,
  fromTypedArray,
  exp,
  expandDims,
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
  assertNDArray,
} from '@sciml/linalg';

/** How a loss reduces its per-element (or per-example) values. @public */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of every loss. @public */
export interface LossOptions {
  /** `'mean'` (default), `'sum'`, or `'none'` for the unreduced values. */
  reduction?: Reduction;
}

function reduce(op: string, values: NDArray, reduction: Reduction = 'mean'): NDArray {
  if (reduction === 'mean') return mean(values);
  if (reduction === 'sum') return sum(values);
  if (reduction === 'none') return values;
  throw new ValueError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
}

function sameShape(op: string, a: NDArray, b: NDArray): void {
  assertNDArray(op, a, 'the predictions');
  assertNDArray(op, b, 'the targets');
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      op,
      `predictions ${formatShape(a.shape)} and targets ${formatShape(b.shape)} must have one shape`,
    );
  }
}

/** Mean squared error (ŷ − y)², reduced. @public */
export function mseLoss(pred: NDArray, target: NDArray, options: LossOptions = {}): NDArray {
  sameShape('mseLoss', pred, target);
  return reduce('mseLoss', square(sub(pred, target)), options.reduction);
}

/** Mean absolute error |ŷ − y|, reduced. @public */
export function maeLoss(pred: NDArray, target: NDArray, options: LossOptions = {}): NDArray {
  sameShape('maeLoss', pred, target);
  return reduce('maeLoss', abs(sub(pred, target)), options.reduction);
}

/** Huber loss ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (Huber 1964); `delta` default 1. @public */
export function huberLoss(
  pred: NDArray,
  target: NDArray,
  options: LossOptions & { delta?: number } = {},
): NDArray {
  sameShape('huberLoss', pred, target);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ValueError('huberLoss', `delta must be positive, got ${delta}`);
  const r = abs(sub(pred, target));
  const q = minimum(r, delta);
  // ½q² + δ(r − q) with q = min(r, δ) covers both branches without a select
  return reduce('huberLoss', add(mul(square(q), 0.5), mul(sub(r, q), delta)), options.reduction);
}

/**
 * Binary cross-entropy from logits z with labels y ∈ [0, 1]: max(z, 0) − z·y + log(1 + e^{−|z|}), the
 * stable form that never evaluates log σ(z).
 * @public
 */
export function binaryCrossEntropyWithLogits(
  logits: NDArray,
  labels: NDArray,
  options: LossOptions = {},
): NDArray {
  sameShape('binaryCrossEntropyWithLogits', logits, labels);
  const values = add(sub(maximum(logits, 0), mul(logits, labels)), log1p(exp(neg(abs(logits)))));
  return reduce('binaryCrossEntropyWithLogits', values, options.reduction);
}

/**
 * One-hot rows (N, C) for integer labels (N) in [0, C).
 * @example `oneHot(array([2, 0], { dtype: 'int32' }), 3)` → `[[0, 0, 1], [1, 0, 0]]`
 * @public
 */
export function oneHot(
  labels: NDArray,
  numClasses: number,
  options: { dtype?: 'float64' | 'float32' } = {},
): NDArray {
  if (labels.ndim !== 1)
    throw new ShapeError('oneHot', `labels must be 1-D, got ${formatShape(labels.shape)}`);
  if (!Number.isSafeInteger(numClasses) || numClasses < 1)
    throw new ValueError('oneHot', `numClasses must be a positive integer, got ${numClasses}`);
  // class indices are exact in float32, which every backend stores (a GPU has no float64)
  const classes = fromTypedArray(
    Float32Array.from({ length: numClasses }, (_, c) => c),
    [numClasses],
    { backend: labels.backend },
  );
  return astype(
    equal(expandDims(astype(labels, classes.dtype), 1), classes),
    options.dtype ?? 'float64',
  );
}

/** Targets as (N, C) probabilities: one-hot for integer labels, checked as given for soft labels. */
function targetProbabilities(op: string, logits: NDArray, targets: NDArray): NDArray {
  if (logits.ndim !== 2)
    throw new ShapeError(op, `needs (N, C) scores, got ${formatShape(logits.shape)}`);
  if (targets.ndim === 1) {
    if (targets.shape[0] !== logits.shape[0])
      throw new ShapeError(
        op,
        `${targets.shape[0]} labels for ${logits.shape[0]} rows of scores ${formatShape(logits.shape)}`,
      );
    return oneHot(targets, logits.shape[1]!, { dtype: logits.dtype as 'float64' | 'float32' });
  }
  sameShape(op, logits, targets);
  return targets;
}

/**
 * Softmax cross-entropy from logits (N, C) with integer labels (N) or probability targets (N, C):
 * logsumexp(z) − Σ y·z per row (stable for any logit scale). `labelSmoothing` ε mixes the targets with the
 * uniform distribution, y ← (1 − ε)y + ε/C (Szegedy et al. 2016, §7), as PyTorch's `label_smoothing`.
 * @public
 */
export function crossEntropyWithLogits(
  logits: NDArray,
  targets: NDArray,
  options: LossOptions & { labelSmoothing?: number } = {},
): NDArray {
  const op = 'crossEntropyWithLogits';
  let y = targetProbabilities(op, logits, targets);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1))
    throw new ValueError(op, `labelSmoothing must be in [0, 1], got ${eps}`);
  if (eps > 0) y = add(mul(y, 1 - eps), eps / logits.shape[1]!);
  const rows = sub(logsumexp(logits, { axis: 1 }), sum(mul(y, logits), { axis: 1 }));
  return reduce(op, rows, options.reduction);
}

/**
 * Negative log-likelihood −log p[label] from log-probabilities (N, C) (the output of a log-softmax) with
 * integer labels (N) or probability targets (N, C), as PyTorch's `nll_loss`.
 * @public
 */
export function nllLoss(logProbs: NDArray, targets: NDArray, options: LossOptions = {}): NDArray {
  const y = targetProbabilities('nllLoss', logProbs, targets);
  return reduce('nllLoss', neg(sum(mul(y, logProbs), { axis: 1 })), options.reduction);
}

/**
 * KL(N(μ, σ²) ‖ N(μ₂, σ₂²)) per element, from means and log-variances:
 * ½(log σ₂² − log σ² + (σ² + (μ − μ₂)²)/σ₂² − 1); the prior defaults to N(0, 1), giving the VAE term
 * ½(σ² + μ² − 1 − log σ²) (Kingma & Welling 2014, appendix B). Reduced over all elements.
 * @public
 */
export function gaussianKl(
  mu: NDArray,
  logVar: NDArray,
  options: LossOptions & { priorMu?: NDArray; priorLogVar?: NDArray } = {},
): NDArray {
  sameShape('gaussianKl', mu, logVar);
  const var1 = exp(logVar);
  let values: NDArray;
  if (options.priorMu === undefined && options.priorLogVar === undefined) {
    values = mul(sub(sub(add(var1, square(mu)), 1), logVar), 0.5);
  } else {
    const mu2 = options.priorMu ?? mul(mu, 0);
    const lv2 = options.priorLogVar ?? mul(logVar, 0);
    const ratio = mul(add(var1, square(sub(mu, mu2))), exp(neg(lv2)));
    values = mul(sub(add(sub(lv2, logVar), ratio), 1), 0.5);
  }
  return reduce('gaussianKl', values, options.reduction);
}

/**
 * Gaussian negative log-likelihood ½[log σ² + (y − μ)²/σ² + log 2π] of targets y under N(μ, σ²) per element,
 * from means and log-variances, reduced (PyTorch's `GaussianNLLLoss` with `full=True`, parameterised by
 * log σ² so σ² > 0 always; Nix & Weigend 1994). The loss of a network that predicts its own uncertainty.
 * @public
 */
export function gaussianNllLoss(
  mu: NDArray,
  logVar: NDArray,
  target: NDArray,
  options: LossOptions = {},
): NDArray {
  sameShape('gaussianNllLoss', mu, target);
  sameShape('gaussianNllLoss', logVar, target);
  const r = sub(target, mu);
  const values = mul(
    add(add(logVar, mul(square(r), exp(neg(logVar)))), Math.log(2 * Math.PI)),
    0.5,
  );
  return reduce('gaussianNllLoss', values, options.reduction);
}
