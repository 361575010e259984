/**
 * The Burgers PINN: u_t + u u_x = ν u_xx on x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0,
 * ν = 0.01/π (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019) 686–707), by the recipe of
 * Urbán, Stefanou & Pons (J. Comput. Phys. (2025) 113656): a small tanh network on the periodic embedding
 * (cos πx, sin πx, t), the initial data as a hard constraint û = −sin(πx) + t·N, RAD resampling, Adam and then
 * the dense self-scaled Broyden quasi-Newton method (`trainPinn`'s `bfgs`); scored against the Cole–Hopf
 * reference `burgersReference`.
 */
import {
  Generator,
  type NDArray,
  add,
  concat,
  cos,
  fromTypedArray,
  mul,
  sin,
  slice,
  sub,
} from '@sciml/linalg';
import { type Layer, activation, linear, sequential, tanh } from '@sciml/nn';
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
  /** RAD resampling period in Adam steps and quasi-Newton iterations (0: off). */
  resampleEvery: number;
  /** Iterations of the dense self-scaled Broyden stage. */
  quasiNewtonIterations: number;
  /** Evaluation grid: nx × nt. */
  nx: number;
  nt: number;
  seed: number;
}

/** The default run: about two minutes of training on 2 cores. */
export const DEFAULT_CONFIG: BurgersConfig = {
  layers: 3,
  width: 20,
  points: 2000,
  adamSteps: 1000,
  lr: 5e-3,
  resampleEvery: 500,
  quasiNewtonIterations: 2000,
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
  quasiNewtonIterations: number;
}

const column = (x: NDArray, k: number) => slice(x, null, { start: k, stop: k + 1 });

/**
 * The tanh MLP on (cos πx, sin πx, t) → u: 2-periodic in x like the solution, so u(−1, t) = u(1, t) by
 * construction (Urbán et al.'s Fourier embedding with kmax = 1).
 */
export function network(config: Pick<BurgersConfig, 'layers' | 'width'>): Layer {
  const periodic = activation((x) =>
    concat([cos(mul(Math.PI, column(x, 0))), sin(mul(Math.PI, column(x, 0))), column(x, 1)], {
      axis: 1,
    }),
  );
  const layers: Layer[] = [periodic as Layer];
  for (let i = 0; i < config.layers; i++) layers.push(linear(config.width) as Layer, tanh as never);
  return sequential(...layers, linear(1)) as unknown as Layer;
}

/**
 * û = −sin(πx) + t·N: the initial data hold exactly; u(±1, t) = 0 follows from the embedding's periodicity
 * and the solution's odd symmetry, which the PDE residual enforces.
 */
export function hardConstraint(x: NDArray, y: NDArray): NDArray {
  return add(mul(-1, sin(mul(Math.PI, column(x, 0)))), mul(column(x, 1), y));
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
  const points = domain.sampleInterior(config.points, { sampler: 'random', rng });
  const net = network(config);
  const start = performance.now();
  const res = trainPinn({
    net,
    // the embedding has no parameters: the first linear layer sees its 3 features
    params: net.init(new Generator(config.seed), [3]),
    pde: {
      // u_t + u u_x − ν u_xx, with (x, t) = axes (0, 1)
      residual: (D) => sub(add(D.d(1), mul(D.u, D.d(0))), mul(NU, D.d(0, 0))),
      points,
    },
    transform: hardConstraint,
    adam: { steps: config.adamSteps, lr: config.lr },
    bfgs: { maxIter: config.quasiNewtonIterations, update: 'self-scaled-broyden' },
    logEvery: 50,
    onLog,
    // RAD (k = 1, c = 1) from 10× as many random candidates, in Adam and between quasi-Newton rounds (the
    // inverse Hessian carried across them)
    resample:
      config.resampleEvery > 0
        ? {
            every: config.resampleEvery,
            lbfgsEvery: config.resampleEvery,
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
    quasiNewtonIterations: res.quasiNewtonIterations,
  };
}
