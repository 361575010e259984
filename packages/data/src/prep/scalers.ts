// Per-feature affine scalers y = (x − center) / scale with fit / transform / inverseTransform, after
// scikit-learn's StandardScaler, MinMaxScaler and RobustScaler. Columns are features, rows are samples.
import {
  type NDArray,
  NotFiniteError,
  ShapeError,
  ValueError,
  fromTypedArray,
  assertNDArray,
} from '@sciml/linalg';

type Columns = { n: number; d: number; data: ArrayLike<number> };

function columns(op: string, x: NDArray, features?: number): Columns {
  assertNDArray(op, x, 'x');
  if (x.ndim !== 1 && x.ndim !== 2)
    throw new ShapeError(
      op,
      `expects samples × features (2-D) or one feature (1-D), got shape (${x.shape.join(', ')})`,
    );
  const n = x.shape[0]!;
  const d = x.ndim === 2 ? x.shape[1]! : 1;
  if (features !== undefined && d !== features)
    throw new ShapeError(op, `the scaler was fitted on ${features} features, got ${d}`);
  return { n, d, data: x.dataSync() };
}

/**
 * Common machinery of the scalers: a center and a scale per feature.
 * @public
 */
export abstract class AffineScaler {
  /** Subtracted from each feature (`[d]`), set by `fit`. */
  center: Float64Array | undefined;
  /** Each centred feature is divided by this (`[d]`), set by `fit`. */
  scale: Float64Array | undefined;
  /** Name used in errors. */
  protected abstract readonly name: string;

  /** Computes center and scale of every column of `x` (`[n, d]` or `[n]`). */
  fit(x: NDArray): this {
    const { n, d, data } = columns(`${this.name}.fit`, x);
    if (n === 0) throw new ValueError(`${this.name}.fit`, 'cannot fit on zero samples');
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!))
        throw new NotFiniteError(
          `${this.name}.fit`,
          `element ${i} is ${data[i]}; drop or impute missing values first`,
        );
    }
    const center = new Float64Array(d);
    const scale = new Float64Array(d);
    const col = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) col[i] = data[i * d + j]!;
      const [c, s] = this.statistics(col);
      center[j] = c;
      // a constant feature keeps its scale, as scikit-learn does, instead of dividing by zero
      scale[j] = s === 0 || !Number.isFinite(s) ? 1 : s;
    }
    this.center = center;
    this.scale = scale;
    return this;
  }

  /** (center, scale) of one column. */
  protected abstract statistics(column: Float64Array): [number, number];

  /** Applies y = (x − center) / scale; float32 input stays float32, everything else becomes float64. */
  transform(x: NDArray): NDArray {
    return this.#apply('transform', x, (v, c, s) => (v - c) / s);
  }

  /** Undoes {@link AffineScaler.transform}: x = y · scale + center. */
  inverseTransform(y: NDArray): NDArray {
    return this.#apply('inverseTransform', y, (v, c, s) => v * s + c);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: NDArray): NDArray {
    return this.fit(x).transform(x);
  }

  #apply(method: string, x: NDArray, f: (v: number, c: number, s: number) => number): NDArray {
    const op = `${this.name}.${method}`;
    if (!this.center || !this.scale)
      throw new ValueError(op, 'the scaler is not fitted; call fit(x) first');
    const { d, data } = columns(op, x, this.center.length);
    const out =
      x.dtype === 'float32' ? new Float32Array(data.length) : new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const j = i % d;
      out[i] = f(data[i]!, this.center[j]!, this.scale[j]!);
    }
    return fromTypedArray(out, x.shape);
  }
}

/**
 * Standardises features to zero mean and unit variance: y = (x − mean) / std (population std, ddof = 0).
 * @example `const s = new StandardScaler().fit(train); s.transform(test)`
 * @public
 */
export class StandardScaler extends AffineScaler {
  protected readonly name = 'StandardScaler';
  readonly #withMean: boolean;
  readonly #withStd: boolean;

  constructor(options: { withMean?: boolean; withStd?: boolean } = {}) {
    super();
    this.#withMean = options.withMean ?? true;
    this.#withStd = options.withStd ?? true;
  }

  protected statistics(col: Float64Array): [number, number] {
    let mean = 0;
    for (let i = 0; i < col.length; i++) mean += (col[i]! - mean) / (i + 1); // running mean: no overflow
    let ss = 0;
    for (let i = 0; i < col.length; i++) ss += (col[i]! - mean) ** 2;
    return [this.#withMean ? mean : 0, this.#withStd ? Math.sqrt(ss / col.length) : 1];
  }
}

/**
 * Maps each feature's training range [min, max] linearly onto `range` (default [0, 1]).
 * @public
 */
export class MinMaxScaler extends AffineScaler {
  protected readonly name = 'MinMaxScaler';
  readonly #low: number;
  readonly #high: number;

  constructor(options: { range?: readonly [number, number] } = {}) {
    super();
    const [low, high] = options.range ?? [0, 1];
    if (!(high > low))
      throw new ValueError('MinMaxScaler', `range must satisfy low < high, got [${low}, ${high}]`);
    this.#low = low;
    this.#high = high;
  }

  protected statistics(col: Float64Array): [number, number] {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of col) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const width = this.#high - this.#low;
    const s = max - min === 0 ? 1 : (max - min) / width;
    // y = low + (x − min)/s  ⇔  y = (x − (min − low·s)) / s
    return [min - this.#low * s, s];
  }
}

/** Quantile with linear interpolation between order statistics (NumPy's default method). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Centres features on the median and scales by the interquartile range (or `quantileRange`), so outliers
 * barely move the statistics.
 * @public
 */
export class RobustScaler extends AffineScaler {
  protected readonly name = 'RobustScaler';
  readonly #q: readonly [number, number];

  constructor(options: { quantileRange?: readonly [number, number] } = {}) {
    super();
    const [a, b] = options.quantileRange ?? [25, 75];
    if (!(a >= 0 && b <= 100 && a < b))
      throw new ValueError(
        'RobustScaler',
        `quantileRange must satisfy 0 ≤ low < high ≤ 100, got [${a}, ${b}]`,
      );
    this.#q = [a, b];
  }

  protected statistics(col: Float64Array): [number, number] {
    const sorted = Float64Array.from(col).sort();
    return [
      quantile(sorted, 0.5),
      quantile(sorted, this.#q[1] / 100) - quantile(sorted, this.#q[0] / 100),
    ];
  }
}
