import type { PyTree } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  exp,
  formatShape,
  fromTypedArray,
  mul,
  reshape,
  slice,
  sub,
} from '@sciml/linalg';
import { type Layer, gaussianNllLoss } from '@sciml/nn';
import type { EmulatorScales } from './emulator.js';

/**
 * The Gaussian negative log-likelihood ½ mean[log σ² + (y − μ)²/σ² + log 2π] of targets y under N(μ, σ²),
 * from means and log-variances (PyTorch's `GaussianNLLLoss` with `full=True`; Nix & Weigend 1994).
 * @deprecated Use `gaussianNllLoss` from `@sciml/nn` (the same loss, with `reduction`); kept as its alias.
 * @public
 */
export function gaussianNll(mu: NDArray, logVariance: NDArray, target: NDArray): NDArray {
  return gaussianNllLoss(mu, logVariance, target);
}

/** What a {@link GaussianEmulator} predicts for a batch of states. @public */
export interface GaussianPrediction {
  /** Mean of the next state, (B × n). */
  readonly mean: NDArray;
  /** Log-variance of the next state, (B × n). */
  readonly logVariance: NDArray;
}

/**
 * A probabilistic step map: the next state is N(μ_θ(u), diag σ²_θ(u)). One network with 2n outputs gives the
 * mean (Euler-residual form, μ = u + Δt·N_μ) and the log-variance; trained by the Gaussian NLL (`gaussianNllLoss` of @sciml/nn), it learns
 * how uncertain each step is (aleatoric noise), and sampled rollouts give forecast bands
 * (Lakshminarayanan, Pritzel & Blundell 2017, "Simple and scalable predictive uncertainty estimation using
 * deep ensembles", NeurIPS).
 * @public
 */
export interface GaussianEmulator<P extends PyTree = PyTree> {
  /** State dimension n. */
  readonly dim: number;
  /** Time step. */
  readonly dt: number;
  /** Draws the parameters. */
  init(rng: Generator): P;
  /** Mean and log-variance of the next state. */
  predict(params: P, u: NDArray): GaussianPrediction;
  /** The NLL of observed next states under the prediction (the training loss). */
  loss(params: P, u: NDArray, next: NDArray): NDArray;
  /** One sampled step μ + σ ⊙ ξ, ξ ~ N(0, I). */
  sample(params: P, u: NDArray, rng: Generator): NDArray;
}

/**
 * Builds a {@link GaussianEmulator} from a network mapping n inputs to 2n outputs (first n: the normalised
 * tendency; last n: the log-variance in units of `outputScale·Δt` squared).
 * @public
 */
export function gaussianEmulator<P extends PyTree>(
  network: Layer<P>,
  options: { dim: number; dt: number; scales?: EmulatorScales },
): GaussianEmulator<P> {
  const op = 'gaussianEmulator';
  const { dim: n, dt } = options;
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(op, `dim must be a positive integer, got ${n}`);
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(op, `dt must be finite and > 0, got ${dt}`);
  const s = options.scales;
  const rowOf = (
    v: ArrayLike<number> | undefined,
    fill: number,
    f: (x: number) => number = (x) => x,
  ) => fromTypedArray(Float64Array.from(v ?? new Float64Array(n).fill(fill), f), [1, n]);
  const inMean = rowOf(s?.inputMean, 0);
  const inInverse = rowOf(s?.inputScale, 1, (x) => 1 / x);
  const outMean = rowOf(s?.outputMean, 0);
  const outScale = rowOf(s?.outputScale, 1);
  // log of the variance unit (outputScale·Δt)²
  const logUnit = rowOf(s?.outputScale, 1, (x) => 2 * Math.log(x * dt));
  const predict = (params: P, u: NDArray): GaussianPrediction => {
    if (u.ndim !== 2 || u.shape[1] !== n)
      throw new ShapeError(
        `${op}.predict`,
        `expects states (batch × ${n}), got ${formatShape(u.shape)}`,
      );
    const y = network.apply(params, mul(sub(u, inMean), inInverse)).y;
    if (y.shape[1] !== 2 * n)
      throw new ShapeError(
        op,
        `the network must give 2n = ${2 * n} outputs, got ${formatShape(y.shape)}`,
      );
    const head = slice(y, null, { stop: n });
    const logVar = slice(y, null, { start: n });
    return {
      mean: add(u, mul(add(outMean, mul(outScale, head)), dt)),
      logVariance: add(logVar, logUnit),
    };
  };
  return {
    dim: n,
    dt,
    init: (rng) => network.init(rng, [n]),
    predict,
    loss: (params, u, next) => {
      const p = predict(params, u);
      return gaussianNllLoss(p.mean, p.logVariance, next);
    },
    sample: (params, u, rng) => {
      const p = predict(params, u);
      const xi = rng.normal(u.shape as number[]);
      return add(p.mean, mul(exp(mul(p.logVariance, 0.5)), xi));
    },
  };
}

/** Options of {@link ensembleForecast}. @public */
export interface EnsembleForecastOptions {
  /** Number of steps. */
  steps: number;
  /** Members per map (default 20). */
  members?: number;
  /** Standard deviation of the Gaussian initial-condition perturbations, per variable or one for all (default 0). */
  perturbation?: number | ArrayLike<number>;
  /** Random source of the perturbations (required when perturbation > 0). */
  rng?: Generator;
}

/** An ensemble forecast: per-time mean and spread and every member. @public */
export interface EnsembleForecast {
  /** Ensemble mean at each time, (steps + 1 × n). */
  readonly mean: NDArray;
  /** Ensemble standard deviation at each time, (steps + 1 × n): the uncertainty band is mean ± 2·std. */
  readonly std: NDArray;
  /** Every member's state at each time: steps + 1 arrays of (members × n). */
  readonly members: NDArray[];
}

/**
 * Ensemble forecast from one initial state: perturbed initial conditions (Gaussian, `perturbation`) and/or
 * several step maps (a deep ensemble: independently trained emulators; or stochastic maps such as a
 * {@link GaussianEmulator}'s `sample`), each map advancing `members` states as one batch (Leith 1974;
 * Lakshminarayanan et al. 2017). Returns the mean, the spread and the members over time.
 * @public
 */
export function ensembleForecast(
  maps: ((u: NDArray) => NDArray) | readonly ((u: NDArray) => NDArray)[],
  u0: ArrayLike<number>,
  options: EnsembleForecastOptions,
): EnsembleForecast {
  const op = 'ensembleForecast';
  const list = typeof maps === 'function' ? [maps] : [...maps];
  const n = u0.length;
  const M = options.members ?? 20;
  const { steps } = options;
  if (list.length === 0) throw new ValueError(op, 'needs at least one step map');
  if (!Number.isInteger(M) || M < 1)
    throw new ValueError(op, `members must be an integer ≥ 1, got ${M}`);
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(op, `steps must be an integer ≥ 0, got ${steps}`);
  const p = options.perturbation ?? 0;
  const sd = typeof p === 'number' ? new Float64Array(n).fill(p) : Float64Array.from(p);
  if (sd.length !== n)
    throw new ShapeError(op, `perturbation has ${sd.length} entries for ${n} variables`);
  const perturbed = sd.some((v) => v > 0);
  if (perturbed && !options.rng)
    throw new ValueError(op, 'pass rng to perturb the initial conditions');
  const total = M * list.length;
  const series: Float64Array[] = []; // per time: (total × n)
  const start = new Float64Array(total * n);
  for (let m = 0; m < total; m++)
    for (let j = 0; j < n; j++)
      start[m * n + j] = u0[j]! + (perturbed ? sd[j]! * options.rng!.nextNormal() : 0);
  const states = list.map((_, i) =>
    fromTypedArray(start.slice(i * M * n, (i + 1) * M * n), [M, n]),
  );
  series.push(start);
  for (let k = 0; k < steps; k++) {
    const all = new Float64Array(total * n);
    list.forEach((map, i) => {
      states[i] = map(states[i]!);
      all.set(states[i]!.dataSync(), i * M * n);
    });
    series.push(all);
  }
  const meanOut = new Float64Array((steps + 1) * n);
  const stdOut = new Float64Array((steps + 1) * n);
  series.forEach((x, k) => {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let m = 0; m < total; m++) s += x[m * n + j]!;
      const mu = s / total;
      let v = 0;
      for (let m = 0; m < total; m++) v += (x[m * n + j]! - mu) ** 2;
      meanOut[k * n + j] = mu;
      stdOut[k * n + j] = Math.sqrt(v / Math.max(total - 1, 1));
    }
  });
  return {
    mean: fromTypedArray(meanOut, [steps + 1, n]),
    std: fromTypedArray(stdOut, [steps + 1, n]),
    members: series.map((x) => reshape(fromTypedArray(x, [total * n]), [total, n])),
  };
}

/**
 * Per-variable RMS of an emulator's one-step residual M(θ, uᵢ) − uᵢ₊₁ over a trajectory (samples × n,
 * spaced Δt): the size of the initial-state perturbations that make an ensemble forecast carry the
 * training error (observation noise plus model error), as in {@link ensembleForecast}'s `perturbation`.
 * @public
 */
export function oneStepResidualRms<P extends PyTree>(
  emulator: { readonly dim: number; step(params: P, u: NDArray): NDArray },
  params: P,
  trajectory: NDArray,
): Float64Array {
  const op = 'oneStepResidualRms';
  const n = emulator.dim;
  if (trajectory.ndim !== 2 || trajectory.shape[1] !== n || trajectory.shape[0]! < 2)
    throw new ShapeError(
      op,
      `expects a trajectory (samples ≥ 2 × ${n}), got ${formatShape(trajectory.shape)}`,
    );
  const m = trajectory.shape[0]!;
  const x = trajectory.dataSync();
  const next = emulator.step(params, slice(trajectory, { stop: m - 1 })).dataSync();
  const out = new Float64Array(n);
  for (let i = 0; i < m - 1; i++)
    for (let j = 0; j < n; j++) out[j]! += (next[i * n + j]! - x[(i + 1) * n + j]!) ** 2;
  for (let j = 0; j < n; j++) {
    out[j] = Math.sqrt(out[j]! / (m - 1));
    if (!Number.isFinite(out[j]!))
      throw new ValueError(
        op,
        `the residual of variable ${j} is not finite (diverging emulator or NaN data)`,
      );
  }
  return out;
}
