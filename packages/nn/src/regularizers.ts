// Parameter penalties and decoupled weight decay. By default they act on weight matrices and kernels
// (names ending in `weight…`, two or more axes), not on biases or normalisation scales, the usual practice.
import type { PyTree } from '@sciml/autodiff';
import { type NDArray, ValueError, abs, add, mul, scalar, sum } from '@sciml/linalg';
import { mapWithPath, namedLeaves } from './tree-paths.js';

/** Which parameters a regulariser touches, by state-dict name and array. @public */
export type ParamFilter = (name: string, leaf: NDArray) => boolean;

/** The default filter: weight matrices/kernels (last name segment starts with `weight`, ≥ 2 axes). @public */
export const isWeight: ParamFilter = (name, leaf) =>
  leaf.ndim >= 2 && (name.split('.').pop() ?? '').startsWith('weight');

function checkRate(op: string, lambda: number): void {
  if (!(lambda >= 0 && Number.isFinite(lambda)))
    throw new ValueError(op, `the coefficient must be a finite number ≥ 0, got ${lambda}`);
}

function penalty(
  op: string,
  params: PyTree,
  lambda: number,
  filter: ParamFilter,
  term: (w: NDArray) => NDArray,
): NDArray {
  checkRate(op, lambda);
  let total: NDArray | undefined;
  for (const [name, w] of namedLeaves(params)) {
    if (!filter(name, w)) continue;
    const t = sum(term(w));
    total = total === undefined ? t : add(total, t);
  }
  return total === undefined ? scalar(0) : mul(total, lambda);
}

/**
 * L1 penalty λ Σ|w| (lasso; Tibshirani 1996): its subgradient λ·sign(w) pushes weights to exactly zero,
 * giving sparse weights. Add it to the loss.
 * @public
 */
export function l1Penalty(
  params: PyTree,
  lambda: number,
  options: { filter?: ParamFilter } = {},
): NDArray {
  return penalty('l1Penalty', params, lambda, options.filter ?? isWeight, abs);
}

/**
 * L2 penalty (λ/2) Σw² (ridge / Tikhonov): its gradient λw shrinks weights proportionally, the Gaussian
 * prior N(0, 1/λ) in MAP terms. With plain SGD it equals weight decay of rate η·λ.
 * @public
 */
export function l2Penalty(
  params: PyTree,
  lambda: number,
  options: { filter?: ParamFilter } = {},
): NDArray {
  return mul(
    penalty('l2Penalty', params, lambda, options.filter ?? isWeight, (w) => mul(w, w)),
    0.5,
  );
}

/**
 * Decoupled weight decay w ← (1 − rate)·w on the filtered parameters, applied after the optimiser step
 * (Loshchilov & Hutter 2019); unlike an L2 penalty it is not rescaled by adaptive optimisers.
 * @public
 */
export function decayWeights<T extends PyTree>(
  params: T,
  rate: number,
  options: { filter?: ParamFilter } = {},
): T {
  checkRate('decayWeights', rate);
  const filter = options.filter ?? isWeight;
  return mapWithPath(params, (name, w) => (filter(name, w) ? mul(w, 1 - rate) : w));
}
