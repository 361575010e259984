import type { Matrix } from './matrix.js';

/**
 * Coefficient of determination averaged over columns, 1 − Σ(y − ŷ)²/Σ(y − ȳ)² per column (scikit-learn's
 * `r2_score` with `multioutput='uniform_average'`, which pysindy's `score` uses). A constant column scores
 * 1 when predicted exactly and 0 otherwise, as scikit-learn does.
 */
export function r2Score(yTrue: Matrix, yPred: Matrix): number {
  const { rows: m, cols: n } = yTrue;
  let total = 0;
  for (let j = 0; j < n; j++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += yTrue.data[i * n + j]! / m;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < m; i++) {
      const y = yTrue.data[i * n + j]!;
      ssRes += (y - yPred.data[i * n + j]!) ** 2;
      ssTot += (y - mean) ** 2;
    }
    total += ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  }
  return total / n;
}

/** Mean squared error over every entry. */
export function meanSquaredError(yTrue: Matrix, yPred: Matrix): number {
  let s = 0;
  for (let e = 0; e < yTrue.data.length; e++) s += (yTrue.data[e]! - yPred.data[e]!) ** 2;
  return s / yTrue.data.length;
}

/** ‖a − b‖_F / ‖a‖_F. */
export function relativeError(reference: Matrix, approx: Matrix): number {
  let num = 0;
  let den = 0;
  for (let e = 0; e < reference.data.length; e++) {
    num += (reference.data[e]! - approx.data[e]!) ** 2;
    den += reference.data[e]! ** 2;
  }
  return Math.sqrt(num / den);
}
