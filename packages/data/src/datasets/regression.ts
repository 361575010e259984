// Seeded regression datasets: noisy sinusoid, polynomial, random Fourier features (for double descent).
import { type NDArray, ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { type RandomOptions, resolveRng } from '../random.js';
import { checkInt, checkNonNegative } from './check.js';

/**
 * Inputs and noisy targets, with the noise-free targets for measuring generalisation.
 * @public
 */
export interface RegressionData {
  /** Inputs `[n, d]`. */
  x: NDArray;
  /** Targets with noise `[n, 1]`. */
  y: NDArray;
  /** Targets without noise `[n, 1]`. */
  clean: NDArray;
}

/**
 * Options of the 1-D regression generators.
 * @public
 */
export interface Regression1DOptions extends RandomOptions {
  /** Number of samples (default 100). */
  n?: number;
  /** Standard deviation of the additive Gaussian noise (default 0.1). */
  noise?: number;
  /** Interval the inputs come from. */
  range?: readonly [number, number];
  /** Evenly spaced inputs instead of uniform random ones (default false). */
  grid?: boolean;
}

function inputs1d(
  op: string,
  options: Regression1DOptions,
  fallback: readonly [number, number],
): { n: number; xs: Float64Array; rng: ReturnType<typeof resolveRng> } {
  const rng = resolveRng(op, options);
  const n = checkInt(op, 'n', options.n ?? 100, 1);
  const [lo, hi] = options.range ?? fallback;
  if (!(hi > lo))
    throw new ValueError(op, `range must be [low, high] with low < high, got [${lo}, ${hi}]`);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++)
    xs[i] = options.grid
      ? n === 1
        ? lo
        : lo + ((hi - lo) * i) / (n - 1)
      : lo + (hi - lo) * rng.nextFloat();
  return { n, xs, rng };
}

function withNoise(
  op: string,
  xs: Float64Array,
  clean: Float64Array,
  d: number,
  noise: number,
  rng: ReturnType<typeof resolveRng>,
): RegressionData {
  checkNonNegative(op, 'noise', noise);
  const n = clean.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = clean[i]! + noise * rng.nextNormal();
  return {
    x: fromTypedArray(xs, [n, d]),
    y: fromTypedArray(y, [n, 1]),
    clean: fromTypedArray(clean, [n, 1]),
  };
}

/**
 * Noisy sinusoid y = A sin(2πfx + φ) + ε on `range` (default [0, 1]).
 * @example `const { x, y } = noisySinusoid({ n: 50, noise: 0.2, seed: 3 });`
 * @public
 */
export function noisySinusoid(
  options: Regression1DOptions & { amplitude?: number; frequency?: number; phase?: number } = {},
): RegressionData {
  const op = 'noisySinusoid';
  const { xs, rng } = inputs1d(op, options, [0, 1]);
  const a = options.amplitude ?? 1;
  const f = options.frequency ?? 1;
  const phi = options.phase ?? 0;
  const clean = xs.map((x) => a * Math.sin(2 * Math.PI * f * x + phi));
  return withNoise(op, xs, clean, 1, options.noise ?? 0.1, rng);
}

/**
 * Polynomial regression y = Σₖ cₖ xᵏ + ε on `range` (default [−1, 1]); `coefficients` lowest degree first.
 * @public
 */
export function polynomialRegression(
  options: Regression1DOptions & { coefficients?: readonly number[] } = {},
): RegressionData {
  const op = 'polynomialRegression';
  const { xs, rng } = inputs1d(op, options, [-1, 1]);
  const c = options.coefficients ?? [0, 1, -2, 0.5];
  if (c.length === 0) throw new ValueError(op, 'coefficients must not be empty');
  const clean = xs.map((x) => c.reduceRight((acc, ck) => acc * x + ck, 0)); // Horner
  return withNoise(op, xs, clean, 1, options.noise ?? 0.1, rng);
}

/**
 * A random Fourier feature map φ(x) = √(2/p) cos(xΩ + b), Ω ~ N(0, ℓ⁻²I), b ~ U[0, 2π), whose inner products
 * approximate the RBF kernel exp(−‖x − x′‖² / 2ℓ²). Rahimi & Recht, "Random Features for Large-Scale Kernel
 * Machines", NeurIPS 2007.
 * @public
 */
export interface FourierFeatureMap {
  /** Frequencies Ω, `[d, p]`. */
  omega: NDArray;
  /** Phases b, `[p]`. */
  phase: NDArray;
  /** The features of inputs `[n, d]`, `[n, p]`. */
  apply(x: NDArray): NDArray;
}

/**
 * Draws a random Fourier feature map from `dim` inputs to `features` outputs (see {@link FourierFeatureMap}).
 * Varying `features` past the number of samples traces the double-descent curve of min-norm least squares.
 * @public
 */
export function fourierFeatureMap(
  dim: number,
  options: RandomOptions & { features?: number; lengthscale?: number } = {},
): FourierFeatureMap {
  const op = 'fourierFeatureMap';
  const rng = resolveRng(op, options);
  const d = checkInt(op, 'dim', dim, 1);
  const p = checkInt(op, 'features', options.features ?? 100, 1);
  const ell = options.lengthscale ?? 1;
  if (!(ell > 0)) throw new ValueError(op, `lengthscale must be positive, got ${ell}`);
  const omega = new Float64Array(d * p);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.nextNormal() / ell;
  const phase = new Float64Array(p);
  for (let j = 0; j < p; j++) phase[j] = 2 * Math.PI * rng.nextFloat();
  const scale = Math.sqrt(2 / p);
  return {
    omega: fromTypedArray(omega, [d, p]),
    phase: fromTypedArray(phase, [p]),
    apply(x: NDArray): NDArray {
      if (x.ndim !== 2 || x.shape[1] !== d)
        throw new ShapeError(op, `expects inputs of shape (n, ${d}), got (${x.shape.join(', ')})`);
      const n = x.shape[0]!;
      const xs = x.dataSync();
      const out = new Float64Array(n * p);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < p; j++) {
          let s = phase[j]!;
          for (let k = 0; k < d; k++) s += xs[i * d + k]! * omega[k * p + j]!;
          out[i * p + j] = scale * Math.cos(s);
        }
      }
      return fromTypedArray(out, [n, p]);
    },
  };
}

/**
 * Regression data for double-descent experiments: x ~ N(0, I_d), y = φ*(x)·β + ε where φ* is a random
 * Fourier feature "teacher" with `teacherFeatures` features and β ~ N(0, I). Fit students with
 * {@link fourierFeatureMap} of varying width on the same inputs.
 * @public
 */
export function fourierFeatureRegression(
  options: RandomOptions & {
    n?: number;
    dim?: number;
    teacherFeatures?: number;
    lengthscale?: number;
    noise?: number;
  } = {},
): RegressionData {
  const op = 'fourierFeatureRegression';
  const rng = resolveRng(op, options);
  const n = checkInt(op, 'n', options.n ?? 100, 1);
  const d = checkInt(op, 'dim', options.dim ?? 1, 1);
  const xs = new Float64Array(n * d);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.nextNormal();
  const teacher = fourierFeatureMap(d, {
    rng,
    features: options.teacherFeatures ?? 50,
    lengthscale: options.lengthscale ?? 1,
  });
  const p = teacher.phase.size;
  const beta = Float64Array.from({ length: p }, () => rng.nextNormal());
  const phi = teacher.apply(fromTypedArray(xs, [n, d])).dataSync();
  const clean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += phi[i * p + j]! * beta[j]!;
    clean[i] = s;
  }
  return withNoise(op, xs, clean, d, options.noise ?? 0.1, rng);
}
