// Index splits: random train/validation/test, k-fold, and temporal splits that never let training see
// the future. Indices come back as int32 arrays for linalg's `take(x, idx, 0)`.
import { type NDArray, ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { type RandomOptions, permutation, resolveRng } from '../random.js';

/**
 * Row indices of each part of a split.
 * @public
 */
export interface Split {
  train: NDArray;
  validation: NDArray;
  test: NDArray;
}

/**
 * One fold: training and held-out row indices.
 * @public
 */
export interface Fold {
  train: NDArray;
  test: NDArray;
}

const idx = (a: Int32Array): NDArray => fromTypedArray(a, [a.length]);
const range = (start: number, end: number): Int32Array =>
  Int32Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);

function checkN(op: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ValueError(op, `n must be a non-negative integer, got ${n}`);
}

/** A part's size: a fraction in (0, 1) of n (rounded up for the test part, as scikit-learn), or a count. */
function partSize(
  op: string,
  what: string,
  v: number | undefined,
  n: number,
  fallback: number,
  ceil: boolean,
): number {
  const x = v ?? fallback;
  if (x > 0 && x < 1) return ceil ? Math.ceil(x * n) : Math.floor(x * n);
  if (!Number.isSafeInteger(x) || x < 0 || x > n)
    throw new ValueError(
      op,
      `${what} must be a fraction in (0, 1) or a count in [0, ${n}], got ${x}`,
    );
  return x;
}

/**
 * Splits `n` rows at random into train, validation and test parts (sizes as fractions or counts). With
 * `stratify` (a label per row), every part keeps the class proportions of the whole, up to rounding.
 * @example `const { train, test } = trainTestSplit(x.shape[0], { test: 0.2, seed: 0 }); take(x, train, 0)`
 * @public
 */
export function trainTestSplit(
  n: number,
  options: RandomOptions & {
    test?: number;
    validation?: number;
    shuffle?: boolean;
    stratify?: NDArray;
  } = {},
): Split {
  const op = 'trainTestSplit';
  checkN(op, n);
  const nTest = partSize(op, 'test', options.test, n, 0.25, true);
  const nVal = partSize(op, 'validation', options.validation, n, 0, false);
  if (nTest + nVal > n) {
    throw new ValueError(op, `test (${nTest}) and validation (${nVal}) exceed the ${n} rows`);
  }
  const nTrain = n - nTest - nVal;
  if (options.stratify)
    return stratified(op, n, nTrain, nVal, options.stratify, resolveRng(op, options));
  const order = options.shuffle === false ? range(0, n) : permutation(resolveRng(op, options), n);
  return {
    train: idx(order.slice(0, nTrain)),
    validation: idx(order.slice(nTrain, nTrain + nVal)),
    test: idx(order.slice(nTrain + nVal)),
  };
}

/** Part sizes per class by largest remainders, so they sum exactly to `total`. */
function apportion(classSizes: number[], n: number, total: number): number[] {
  const exact = classSizes.map((c) => (c * total) / n);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left === 0) break;
    if (out[i]! < classSizes[i]!) {
      out[i]!++;
      left--;
    }
  }
  return out;
}

function stratified(
  op: string,
  n: number,
  nTrain: number,
  nVal: number,
  labels: NDArray,
  rng: ReturnType<typeof resolveRng>,
): Split {
  if (labels.ndim !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(
      op,
      `stratify needs one label per row: shape (${n},), got (${labels.shape.join(', ')})`,
    );
  }
  const byClass = new Map<number, number[]>();
  const data = labels.dataSync();
  for (let i = 0; i < n; i++) {
    const members = byClass.get(data[i]!) ?? [];
    members.push(i);
    byClass.set(data[i]!, members);
  }
  const groups = [...byClass.values()];
  const sizes = groups.map((g) => g.length);
  const trainCounts = apportion(sizes, n, nTrain);
  const valCounts = apportion(
    sizes.map((s, i) => s - trainCounts[i]!),
    n - nTrain,
    nVal,
  );
  const parts: [number[], number[], number[]] = [[], [], []];
  groups.forEach((g, c) => {
    const order = permutation(rng, g.length);
    const shuffled = Array.from(order, (k) => g[k]!);
    parts[0].push(...shuffled.slice(0, trainCounts[c]));
    parts[1].push(...shuffled.slice(trainCounts[c], trainCounts[c]! + valCounts[c]!));
    parts[2].push(...shuffled.slice(trainCounts[c]! + valCounts[c]!));
  });
  // interleave the classes inside each part
  const [train, validation, test] = parts.map((p) => {
    const order = permutation(rng, p.length);
    return idx(Int32Array.from(order, (k) => p[k]!));
  }) as [NDArray, NDArray, NDArray];
  return { train, validation, test };
}

/**
 * k-fold cross-validation: every row is held out exactly once; the first n mod k folds get one extra row.
 * @public
 */
export function kFold(
  n: number,
  k: number,
  options: RandomOptions & { shuffle?: boolean } = {},
): Fold[] {
  const op = 'kFold';
  checkN(op, n);
  if (!Number.isSafeInteger(k) || k < 2 || k > n)
    throw new ValueError(op, `k must be an integer in [2, n = ${n}], got ${k}`);
  const order = options.shuffle ? permutation(resolveRng(op, options), n) : range(0, n);
  const folds: Fold[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const test = order.slice(start, start + size);
    const train = new Int32Array(n - size);
    train.set(order.subarray(0, start));
    train.set(order.subarray(start + size), start);
    folds.push({ train: idx(train), test: idx(test) });
    start += size;
  }
  return folds;
}

/**
 * Splits a time-ordered series into consecutive train, validation and test blocks, with `gap` rows dropped
 * between blocks so windows that straddle a boundary cannot leak: max(train) < min(validation) < min(test).
 * @public
 */
export function temporalSplit(
  n: number,
  options: { test?: number; validation?: number; gap?: number } = {},
): Split {
  const op = 'temporalSplit';
  checkN(op, n);
  const gap = options.gap ?? 0;
  if (!Number.isSafeInteger(gap) || gap < 0)
    throw new ValueError(op, `gap must be a non-negative integer, got ${gap}`);
  const nTest = partSize(op, 'test', options.test, n, 0.2, true);
  const nVal = partSize(op, 'validation', options.validation, n, 0, false);
  const gaps = gap * (nVal > 0 ? 2 : 1);
  const nTrain = n - nTest - nVal - gaps;
  if (nTrain <= 0)
    throw new ValueError(
      op,
      `nothing left to train on: ${n} rows − test ${nTest} − validation ${nVal} − gaps ${gaps}`,
    );
  const valStart = nTrain + (nVal > 0 ? gap : 0);
  const testStart = n - nTest;
  return {
    train: idx(range(0, nTrain)),
    validation: idx(range(valStart, valStart + nVal)),
    test: idx(range(testStart, n)),
  };
}

/**
 * Expanding-window folds for time series (scikit-learn's TimeSeriesSplit): fold i tests on the i-th block
 * after an initial stretch and trains on everything before it, minus `gap` rows, capped at `maxTrain`.
 * @public
 */
export function timeSeriesFolds(
  n: number,
  options: { folds?: number; test?: number; gap?: number; maxTrain?: number } = {},
): Fold[] {
  const op = 'timeSeriesFolds';
  checkN(op, n);
  const folds = options.folds ?? 5;
  const gap = options.gap ?? 0;
  if (!Number.isSafeInteger(folds) || folds < 1)
    throw new ValueError(op, `folds must be a positive integer, got ${folds}`);
  const testSize = options.test ?? Math.floor(n / (folds + 1));
  if (!Number.isSafeInteger(testSize) || testSize < 1 || n - folds * testSize - gap <= 0) {
    throw new ValueError(
      op,
      `${folds} folds of ${testSize} test rows and a gap of ${gap} leave no training rows out of ${n}`,
    );
  }
  const out: Fold[] = [];
  for (let i = 0; i < folds; i++) {
    const testStart = n - (folds - i) * testSize;
    const trainEnd = testStart - gap;
    const trainStart =
      options.maxTrain === undefined ? 0 : Math.max(0, trainEnd - options.maxTrain);
    out.push({
      train: idx(range(trainStart, trainEnd)),
      test: idx(range(testStart, testStart + testSize)),
    });
  }
  return out;
}
