/**
 * The Burgers PINN: u_t + u u_x = ν u_xx on x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0,
 * ν = 0.01/π (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019) 686–707), trained with the
 * initial and boundary data as a hard constraint û = −sin(πx) + t(1 − x²)·N(x, t), RAD resampling during
 * Adam, then L-BFGS; scored against the Cole–Hopf reference `burgersReference`.
 */
import {
  Generator,
  type NDArray,
  add,
  fromTypedArray,
  mul,
  sin,
  slice,
  square,
  sub,
} from '@sciml/linalg';
import { type Layer, linear, sequential, tanh } from '@sciml/nn';
import {
  type PinnLogRecord,
  burgersReference,
  interval,
  timeSpace,
  trainPinn,
} from '@sciml/physics';

/** ν of the benchmark. */
export const NU = 0.01 / Math.PI;

/** What the run does: network, points and budget. */
export interface BurgersConfig {
  /** Hidden layers × width of the tanh network. */
  layers: number;
  width: number;
  /** PDE collocation points. */
  points: number;
  /** Adam steps and learning rate. */
  adamSteps: number;
  lr: number;
  /** RAD resampling period in Adam steps (0: off). */
  resampleEvery: number;
  /** RAD resampling period in L-BFGS iterations, each round restarting L-BFGS on the new points (0: off). */
  lbfgsResampleEvery: number;
  /** L-BFGS iterations. */
  lbfgsIterations: number;
  /** Evaluation grid: nx × nt. */
  nx: number;
  nt: number;
  seed: number;
}

/** The default run: about 5–10 minutes on 2 cores. */
export const DEFAULT_CONFIG: BurgersConfig = {
  layers: 4,
  width: 20,
  points: 2000,
  adamSteps: 2000,
  lr: 1e-3,
  resampleEvery: 250,
  lbfgsResampleEvery: 300,
  lbfgsIterations: 1500,
  nx: 201,
  nt: 101,
  seed: 0,
};

/** Everything the report shows. */
export interface BurgersResult {
  config: BurgersConfig;
  x: Float64Array;
  t: Float64Array;
  /** Prediction and reference on the grid, (nx, nt) row-major. */
  u: Float64Array;
  reference: Float64Array;
  /** Relative L2 error over the grid. */
  relL2: number;
  /** Max abs error over the grid. */
  maxError: number;
  history: PinnLogRecord[];
  /** Collocation points (x, t) before and after resampling, flat (n, 2). */
  pointsBefore: Float64Array;
  pointsAfter: Float64Array;
  trainSeconds: number;
  lbfgsIterations: number;
}

/** The tanh MLP (x, t) → u. */
export function network(config: Pick<BurgersConfig, 'layers' | 'width'>): Layer {
  const layers: Layer[] = [];
  for (let i = 0; i < config.layers; i++) layers.push(linear(config.width) as Layer, tanh as never);
  return sequential(...layers, linear(1)) as unknown as Layer;
}

/** û = −sin(πx) + t(1 − x²)·N: the initial and boundary data hold exactly. */
export function hardConstraint(x: NDArray, y: NDArray): NDArray {
  const px = slice(x, null, { start: 0, stop: 1 });
  const pt = slice(x, null, { start: 1, stop: 2 });
  return add(mul(-1, sin(mul(Math.PI, px))), mul(mul(pt, sub(1, square(px))), y));
}

/** Relative L2 and max errors. */
export function errors(
  u: ArrayLike<number>,
  ref: ArrayLike<number>,
): { relL2: number; max: number } {
  let num = 0;
  let den = 0;
  let max = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = u[i]! - ref[i]!;
    num += e * e;
    den += ref[i]! * ref[i]!;
    max = Math.max(max, Math.abs(e));
  }
  return { relL2: Math.sqrt(num / den), max };
}

/** The evaluation grid as (nx·nt, 2) points, x-major (row i·nt + j is (x_i, t_j)). */
export function gridPoints(x: Float64Array, t: Float64Array): NDArray {
  const g = new Float64Array(x.length * t.length * 2);
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < t.length; j++) {
      g[2 * (i * t.length + j)] = x[i]!;
      g[2 * (i * t.length + j) + 1] = t[j]!;
    }
  return fromTypedArray(g, [x.length * t.length, 2]);
}

/** Trains the PINN and scores it against the Cole–Hopf reference. */
export function runBurgers(
  config: BurgersConfig,
  onLog?: (record: PinnLogRecord) => void,
): BurgersResult {
  const domain = timeSpace(interval(-1, 1), 0, 1);
  const rng = new Generator(config.seed + 1);
  const points = domain.sampleInterior(config.points);
  const net = network(config);
  const start = performance.now();
  const res = trainPinn({
    net,
    params: net.init(new Generator(config.seed), [2]),
    pde: {
      // u_t + u u_x − ν u_xx, with (x, t) = axes (0, 1)
      residual: (D) => sub(add(D.d(1), mul(D.u, D.d(0))), mul(NU, D.d(0, 0))),
      points,
    },
    transform: hardConstraint,
    adam: { steps: config.adamSteps, lr: config.lr },
    lbfgs: { maxIter: config.lbfgsIterations },
    logEvery: 50,
    onLog,
    resample:
      config.resampleEvery > 0
        ? {
            every: config.resampleEvery,
            lbfgsEvery: config.lbfgsResampleEvery > 0 ? config.lbfgsResampleEvery : undefined,
            candidates: () => domain.sampleInterior(10 * config.points, { sampler: 'random', rng }),
            rng,
          }
        : undefined,
  });
  const trainSeconds = (performance.now() - start) / 1000;
  const x = Float64Array.from({ length: config.nx }, (_, i) => -1 + (2 * i) / (config.nx - 1));
  const t = Float64Array.from({ length: config.nt }, (_, j) => j / (config.nt - 1));
  const u = Float64Array.from(res.predict(gridPoints(x, t)).dataSync() as ArrayLike<number>);
  const reference = Float64Array.from(burgersReference(x, t, NU).dataSync() as ArrayLike<number>);
  const e = errors(u, reference);
  return {
    config,
    x,
    t,
    u,
    reference,
    relL2: e.relL2,
    maxError: e.max,
    history: res.history,
    pointsBefore: Float64Array.from(points.dataSync() as ArrayLike<number>),
    pointsAfter: Float64Array.from(res.points.dataSync() as ArrayLike<number>),
    trainSeconds,
    lbfgsIterations: res.lbfgsIterations,
  };
}
