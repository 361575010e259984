// Seeded 2-D/3-D toy datasets for classification and manifold learning, following scikit-learn's
// make_moons, make_circles, make_blobs and make_swiss_roll definitions.
import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { type RandomOptions, permutation, resolveRng } from '../random.js';
import { checkInt, checkNonNegative } from './check.js';

/**
 * Points with class labels.
 * @public
 */
export interface LabelledPoints {
  /** Points, `[n, features]` float64. */
  x: NDArray;
  /** Labels, `[n]` int32. */
  y: NDArray;
}

/**
 * Options shared by the toy generators.
 * @public
 */
export interface ToyOptions extends RandomOptions {
  /** Number of points (default 100). */
  n?: number;
  /** Standard deviation of Gaussian noise added to every coordinate (default 0). */
  noise?: number;
  /** Shuffle the points (default true); unshuffled, the classes come in order. */
  shuffle?: boolean;
}

function finish(
  op: string,
  xs: Float64Array,
  labels: Int32Array,
  dim: number,
  options: ToyOptions,
  rng = resolveRng(op, options),
): LabelledPoints {
  const n = labels.length;
  const noise = checkNonNegative(op, 'noise', options.noise ?? 0);
  if (noise > 0) for (let i = 0; i < xs.length; i++) xs[i]! += noise * rng.nextNormal();
  if (options.shuffle ?? true) {
    const p = permutation(rng, n);
    const x2 = new Float64Array(xs.length);
    const y2 = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y2[i] = labels[p[i]!]!;
      for (let d = 0; d < dim; d++) x2[i * dim + d] = xs[p[i]! * dim + d]!;
    }
    return { x: fromTypedArray(x2, [n, dim]), y: fromTypedArray(y2, [n]) };
  }
  return { x: fromTypedArray(xs, [n, dim]), y: fromTypedArray(labels, [n]) };
}

/**
 * Two interleaving half circles (label 0: upper, 1: lower), as `sklearn.datasets.make_moons`.
 * @example `const { x, y } = twoMoons({ n: 200, noise: 0.1, seed: 1 });`
 * @public
 */
export function twoMoons(options: ToyOptions = {}): LabelledPoints {
  const n = checkInt('twoMoons', 'n', options.n ?? 100, 2);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const xs = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = nOut === 1 ? 0 : (Math.PI * i) / (nOut - 1);
    xs[2 * i] = Math.cos(t);
    xs[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = nIn === 1 ? 0 : (Math.PI * i) / (nIn - 1);
    const k = nOut + i;
    xs[2 * k] = 1 - Math.cos(t);
    xs[2 * k + 1] = 0.5 - Math.sin(t);
    y[k] = 1;
  }
  return finish('twoMoons', xs, y, 2, options);
}

/**
 * Two concentric circles (label 0: outer, radius 1; 1: inner, radius `factor`), as `make_circles`.
 * @public
 */
export function concentricCircles(options: ToyOptions & { factor?: number } = {}): LabelledPoints {
  const n = checkInt('concentricCircles', 'n', options.n ?? 100, 2);
  const factor = options.factor ?? 0.8;
  if (!(factor >= 0 && factor < 1))
    throw new ValueError('concentricCircles', `factor must lie in [0, 1), got ${factor}`);
  const nOut = Math.floor(n / 2);
  const xs = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i >= nOut;
    const m = inner ? n - nOut : nOut;
    const t = (2 * Math.PI * (inner ? i - nOut : i)) / m; // endpoint excluded
    const r = inner ? factor : 1;
    xs[2 * i] = r * Math.cos(t);
    xs[2 * i + 1] = r * Math.sin(t);
    y[i] = inner ? 1 : 0;
  }
  return finish('concentricCircles', xs, y, 2, options);
}

/**
 * Options of {@link gaussianBlobs}.
 * @public
 */
export interface BlobOptions extends RandomOptions {
  /** Number of points (default 100), split as evenly as possible across the centres. */
  n?: number;
  /** Number of centres drawn uniformly in `box` (default 3), or the centres themselves (`k × features`). */
  centers?: number | readonly (readonly number[])[];
  /** Dimension when centres are drawn (default 2). */
  features?: number;
  /** Standard deviation of each cluster (default 1). */
  std?: number;
  /** Box the random centres are drawn from (default [−10, 10]). */
  box?: readonly [number, number];
  /** Shuffle the points (default true). */
  shuffle?: boolean;
}

/**
 * Isotropic Gaussian clusters, as `make_blobs`; also returns the centres.
 * @public
 */
export function gaussianBlobs(options: BlobOptions = {}): LabelledPoints & { centers: NDArray } {
  const op = 'gaussianBlobs';
  const rng = resolveRng(op, options);
  const n = checkInt(op, 'n', options.n ?? 100, 1);
  const std = checkNonNegative(op, 'std', options.std ?? 1);
  let centers: number[][];
  if (Array.isArray(options.centers)) {
    centers = options.centers.map((c) => [...c]);
    if (centers.length === 0 || centers.some((c) => c.length !== centers[0]!.length)) {
      throw new ValueError(op, 'centers must be a non-empty list of points of one dimension');
    }
  } else {
    const k = checkInt(op, 'centers', (options.centers as number | undefined) ?? 3, 1);
    const dim = checkInt(op, 'features', options.features ?? 2, 1);
    const [lo, hi] = options.box ?? [-10, 10];
    centers = Array.from({ length: k }, () =>
      Array.from({ length: dim }, () => lo + (hi - lo) * rng.nextFloat()),
    );
  }
  const k = centers.length;
  const dim = centers[0]!.length;
  const xs = new Float64Array(n * dim);
  const y = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let j = 0; j < count; j++, i++) {
      y[i] = c;
      for (let d = 0; d < dim; d++) xs[i * dim + d] = centers[c]![d]! + std * rng.nextNormal();
    }
  }
  const out = finish(op, xs, y, dim, { ...options, noise: 0 }, rng);
  return { ...out, centers: fromTypedArray(Float64Array.from(centers.flat()), [k, dim]) };
}

/**
 * The Swiss roll: a 2-D sheet rolled up in 3-D; `t` is the position along the roll (the manifold coordinate),
 * t = 1.5π(1 + 2u), point (t cos t, 21v, t sin t), as `make_swiss_roll`.
 * @public
 */
export function swissRoll(options: Omit<ToyOptions, 'shuffle'> = {}): { x: NDArray; t: NDArray } {
  const op = 'swissRoll';
  const rng = resolveRng(op, options);
  const n = checkInt(op, 'n', options.n ?? 100, 1);
  const noise = checkNonNegative(op, 'noise', options.noise ?? 0);
  const xs = new Float64Array(3 * n);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * rng.nextFloat());
    ts[i] = t;
    xs[3 * i] = t * Math.cos(t);
    xs[3 * i + 1] = 21 * rng.nextFloat();
    xs[3 * i + 2] = t * Math.sin(t);
  }
  if (noise > 0) for (let i = 0; i < xs.length; i++) xs[i]! += noise * rng.nextNormal();
  return { x: fromTypedArray(xs, [n, 3]), t: fromTypedArray(ts, [n]) };
}
