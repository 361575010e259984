import { NDArray, ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { solveIVP } from '../integrate/index.js';
import type { OdeMethod, OdeRhsInPlace } from '../integrate/index.js';
import {
  type Differentiator,
  type TimeGrid,
  resolveTimes,
} from './differentiation/differentiator.js';
import { finiteDifference } from './differentiation/finite-difference.js';
import { formatEquation } from './equations.js';
import {
  type FeatureLibrarySpec,
  checkNames,
  defaultNames,
  evaluateLibrary,
} from './library/feature-library.js';
import { polynomialLibrary } from './library/polynomial.js';
import { type Matrix, type MatrixLike, concatRows, readMatrix, toNDArray } from './matrix.js';
import { meanSquaredError, r2Score, relativeError } from './metrics.js';
import type { SparseOptimizer, SparseRegressionResult } from './optimizers/optimizer.js';
import { stlsq } from './optimizers/stlsq.js';

/** Parts of a SINDy model. @public */
export interface SINDyOptions {
  /** Candidate functions Θ (default `polynomialLibrary({ degree: 2 })`). */
  library?: FeatureLibrarySpec;
  /** Sparse regression (default `stlsq()`: threshold 0.1, ridge α 0.05). */
  optimizer?: SparseOptimizer;
  /** Derivative estimator used when `fit` is not given derivatives (default `finiteDifference()`). */
  differentiation?: Differentiator;
  /**
   * Largest library `fit` builds (default {@link SINDY_MAX_LIBRARY_TERMS}): a bigger one is almost always a
   * state passed as (variables × samples) — a degree-2 library of 300 "variables" has 45 451 terms — and
   * would exhaust memory before any error.
   */
  maxLibraryTerms?: number;
}

/**
 * Default bound on the number of library terms in `SINDy.fit` (10 000: a degree-2 polynomial library of
 * up to 139 variables, degree 3 of up to 38).
 * @public
 */
export const SINDY_MAX_LIBRARY_TERMS = 10_000;

/** The orientation mistake, explained: SINDy wants samples as rows; solveIVP returns them as columns. */
const TRANSPOSE_HINT =
  'SINDy.fit wants x as (samples × variables), one row per time; solveIVP returns sol.y as (variables × times), so pass transpose(sol.y) (and t: sol.t)';

/** Rejects a state that is most likely transposed, or a library too large to build, before any work. */
function checkOrientation(
  op: string,
  rows: number,
  cols: number,
  library: FeatureLibrarySpec,
  maxTerms: number,
): void {
  if (cols > rows) {
    throw new ShapeError(
      op,
      `x is ${rows} × ${cols}: more variables (${cols}) than samples (${rows}). ${TRANSPOSE_HINT}`,
    );
  }
  const terms = library.size(cols);
  if (terms > maxTerms) {
    throw new ShapeError(
      op,
      `the library ${library.description} has ${terms} terms for ${cols} variables, above the bound of ${maxTerms} (option maxLibraryTerms). If x is (variables × samples): ${TRANSPOSE_HINT}; otherwise use a smaller library`,
    );
  }
}

/** Options of {@link SINDy.fit}. @public */
export interface SINDyFitOptions {
  /** Time step or sample times; for several trajectories one grid for all, or an array with one grid each. */
  t: TimeGrid | readonly (readonly number[] | Float64Array | NDArray)[];
  /** Known derivatives dX/dt (same shape as x, one per trajectory); skips the differentiation method. */
  xDot?: MatrixLike | readonly MatrixLike[];
  /** Names of the state variables (default `x, y, z`, or `x0, x1, …` beyond three). */
  featureNames?: readonly string[];
  /** Build the library from the differentiation method's smoothed state when it gives one (default true). */
  useSmoothed?: boolean;
}

/** Options of {@link SINDy.simulate}. @public */
export interface SINDySimulateOptions {
  /** Integration method of `solveIVP` (default `'RK45'`). */
  method?: OdeMethod;
  /** Relative tolerance (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance (default 1e-10). */
  atol?: number;
}

/** Options of {@link SINDy.score}. @public */
export interface SINDyScoreOptions {
  /** Time step or sample times of `x` (needed unless `xDot` is given). */
  t?: TimeGrid;
  /** Derivatives to score against (default: estimated from `x` by the model's differentiation method). */
  xDot?: MatrixLike;
  /** `'r2'` (default; mean R² over variables) or `'mse'`. */
  metric?: 'r2' | 'mse';
}

function isTrajectoryList(x: MatrixLike | readonly MatrixLike[]): x is readonly MatrixLike[] {
  if (x instanceof NDArray || x.length === 0) return false;
  const first = x[0];
  return first instanceof NDArray || (Array.isArray(first) && Array.isArray(first[0]));
}

/**
 * Sparse identification of nonlinear dynamics (Brunton, Proctor & Kutz 2016, PNAS 113(15):3932): finds a
 * sparse Ξ with dX/dt ≈ Θ(X) Ξᵀ, so each variable's derivative is a short sum of library terms — readable
 * equations. Estimates derivatives, builds the library, runs the sparse regression; the fitted model prints,
 * predicts derivatives, simulates with `solveIVP` and scores itself. Structure follows pysindy's `SINDy`.
 * @example
 * ```ts
 * const model = new SINDy({ library: polynomialLibrary({ degree: 2 }), optimizer: stlsq({ threshold: 0.1 }) })
 *   .fit(X, { t: 0.002, featureNames: ['x', 'y', 'z'] });
 * model.equations(); // ["x' = -10.000 x + 10.000 y", ...]
 * ```
 * @public
 */
export class SINDy {
  /** The candidate library. */
  readonly library: FeatureLibrarySpec;
  /** The sparse regression method. */
  readonly optimizer: SparseOptimizer;
  /** The derivative estimator. */
  readonly differentiation: Differentiator;
  readonly #maxTerms: number;
  #fit:
    | { names: string[]; terms: string[]; result: SparseRegressionResult; xi: Float64Array }
    | undefined;

  /** A model with the given parts (each has a default). */
  constructor(options: SINDyOptions = {}) {
    this.library = options.library ?? polynomialLibrary({ degree: 2 });
    this.optimizer = options.optimizer ?? stlsq();
    this.differentiation = options.differentiation ?? finiteDifference();
    this.#maxTerms = options.maxLibraryTerms ?? SINDY_MAX_LIBRARY_TERMS;
  }

  /**
   * Fits the model to one trajectory (samples × variables) or a list of them: estimates dX/dt (unless
   * `xDot` is given), evaluates the library and runs the optimiser on all samples together.
   *
   * Orientation: rows are samples (times), columns are variables — the transpose of `solveIVP`'s `sol.y`,
   * which is (variables × times) as in SciPy. From an integration: `fit(transpose(sol.y), { t: sol.t })`.
   * A state with more columns than rows, or whose library would exceed `maxLibraryTerms`, is rejected with
   * a `ShapeError` that says so.
   */
  fit(x: MatrixLike | readonly MatrixLike[], options: SINDyFitOptions): this {
    const op = 'SINDy.fit';
    const trajectories = isTrajectoryList(x) ? x : [x as MatrixLike];
    const grids = this.#grids(op, options.t, trajectories.length);
    const xDots =
      options.xDot === undefined
        ? undefined
        : isTrajectoryList(options.xDot)
          ? options.xDot
          : [options.xDot as MatrixLike];
    if (xDots && xDots.length !== trajectories.length) {
      throw new ShapeError(
        op,
        `got ${xDots.length} derivative arrays for ${trajectories.length} trajectories`,
      );
    }
    const useSmoothed = options.useSmoothed ?? true;
    const thetas: Matrix[] = [];
    const targets: Matrix[] = [];
    let nVars = -1;
    trajectories.forEach((traj, i) => {
      const X = readMatrix(op, traj);
      checkOrientation(op, X.rows, X.cols, this.library, this.#maxTerms);
      if (nVars >= 0 && X.cols !== nVars) {
        throw new ShapeError(
          op,
          `trajectory ${i} has ${X.cols} variables, trajectory 0 has ${nVars}`,
        );
      }
      nVars = X.cols;
      let state = X;
      let dX: Matrix;
      if (xDots) {
        dX = readMatrix(op, xDots[i]!, 'xDot');
        if (dX.rows !== X.rows || dX.cols !== X.cols) {
          throw new ShapeError(
            op,
            `xDot ${i} is ${dX.rows} × ${dX.cols} but x is ${X.rows} × ${X.cols}`,
          );
        }
      } else {
        const est = this.differentiation.estimate(toNDArray(X), grids[i]!);
        dX = readMatrix(op, est.derivative);
        if (useSmoothed && est.smoothed) state = readMatrix(op, est.smoothed);
      }
      thetas.push(evaluateLibrary(op, this.library, state));
      targets.push(dX);
    });
    const names = options.featureNames ? [...options.featureNames] : defaultNames(nVars);
    checkNames(op, names, nVars);
    const theta = concatRows(op, thetas);
    const result = this.optimizer.fit(toNDArray(theta), toNDArray(concatRows(op, targets)));
    const xi = Float64Array.from(result.coefficients.dataSync());
    this.#fit = { names, terms: this.library.names(names), result, xi };
    return this;
  }

  #grids(op: string, t: SINDyFitOptions['t'], n: number): TimeGrid[] {
    const perTrajectory = Array.isArray(t) && t.length > 0 && typeof t[0] !== 'number';
    if (!perTrajectory) return Array.from({ length: n }, () => t as TimeGrid);
    const list = t as readonly TimeGrid[];
    if (list.length !== n)
      throw new ShapeError(op, `got ${list.length} time grids for ${n} trajectories`);
    return [...list];
  }

  #fitted(op: string) {
    if (!this.#fit)
      throw new ValueError(op, 'the model is not fitted yet; call fit(x, { t }) first');
    return this.#fit;
  }

  /** Ξ, shape (variables × library terms): row i holds the coefficients of d(variable i)/dt. */
  get coefficients(): NDArray {
    const f = this.#fitted('SINDy.coefficients');
    return fromTypedArray(Float64Array.from(f.xi), [f.names.length, f.terms.length]);
  }

  /** Names of the state variables. */
  get featureNames(): string[] {
    return [...this.#fitted('SINDy.featureNames').names];
  }

  /** Names of the library terms, the columns of `coefficients` (`1`, `x`, `x y`, …). */
  get termNames(): string[] {
    return [...this.#fitted('SINDy.termNames').terms];
  }

  /** The optimiser's full result (iterations, convergence, and for ensembles the inclusion probabilities). */
  get optimizerResult(): SparseRegressionResult {
    return this.#fitted('SINDy.optimizerResult').result;
  }

  /** Number of non-zero coefficients. */
  get complexity(): number {
    return this.#fitted('SINDy.complexity').xi.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
  }

  /** The equations as text, one per variable: `x' = -10.000 x + 10.000 y` (`precision` decimals, default 3). */
  equations(precision = 3): string[] {
    const f = this.#fitted('SINDy.equations');
    const p = f.terms.length;
    return f.names.map((name, i) =>
      formatEquation(name, f.xi.subarray(i * p, (i + 1) * p), f.terms, precision),
    );
  }

  /** The equations, one per line. */
  toString(): string {
    return this.#fit
      ? this.equations().join('\n')
      : `SINDy (not fitted; ${this.library.description}, ${this.optimizer.description})`;
  }

  /** The right-hand side f(x) = Ξ Θ(x) for one state, written into `out` (allocated when omitted). */
  rhs(state: ArrayLike<number>, out?: Float64Array): Float64Array {
    const f = this.#fitted('SINDy.rhs');
    const n = f.names.length;
    if (state.length !== n)
      throw new ShapeError('SINDy.rhs', `the state has ${state.length} components, the model ${n}`);
    const p = f.terms.length;
    const features = new Float64Array(p);
    const res = out ?? new Float64Array(n);
    this.library.evaluate(state, features, 0);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < p; j++) acc += f.xi[i * p + j]! * features[j]!;
      res[i] = acc;
    }
    return res;
  }

  /** The model as an in-place right-hand side for `solveIVP` (autonomous: ignores t). */
  odeRhs(): OdeRhsInPlace {
    const f = this.#fitted('SINDy.odeRhs');
    const n = f.names.length;
    const p = f.terms.length;
    const features = new Float64Array(p);
    const { xi } = f;
    const lib = this.library;
    return (_t, y, dydt) => {
      lib.evaluate(y, features, 0);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let j = 0; j < p; j++) acc += xi[i * p + j]! * features[j]!;
        dydt[i] = acc;
      }
    };
  }

  /** Predicted derivatives Θ(X) Ξᵀ for every row of `x`, shape (samples × variables). */
  predict(x: MatrixLike): NDArray {
    return toNDArray(this.#predict('SINDy.predict', readMatrix('SINDy.predict', x)));
  }

  #predict(op: string, X: Matrix): Matrix {
    const f = this.#fitted(op);
    const n = f.names.length;
    if (X.cols !== n) throw new ShapeError(op, `x has ${X.cols} variables, the model ${n}`);
    const out = new Float64Array(X.rows * n);
    for (let r = 0; r < X.rows; r++)
      this.rhs(X.data.subarray(r * n, (r + 1) * n), out.subarray(r * n, (r + 1) * n));
    return { rows: X.rows, cols: n, data: out };
  }

  /**
   * Integrates the discovered equations from `x0` and returns the state at each time of `t` (samples ×
   * variables; `t[0]` is the initial time). Throws when the integration fails (e.g. the model blows up).
   */
  simulate(
    x0: ArrayLike<number> | NDArray,
    t: readonly number[] | Float64Array | NDArray,
    options: SINDySimulateOptions = {},
  ): NDArray {
    const op = 'SINDy.simulate';
    const f = this.#fitted(op);
    const y0 = x0 instanceof NDArray ? x0.dataSync() : x0;
    if (y0.length !== f.names.length)
      throw new ShapeError(op, `x0 has ${y0.length} components, the model ${f.names.length}`);
    const times = t instanceof NDArray ? Float64Array.from(t.dataSync()) : Float64Array.from(t);
    if (times.length < 2) throw new ShapeError(op, `needs at least two times, got ${times.length}`);
    resolveTimes(op, times, times.length);
    const res = solveIVP(
      this.odeRhs(),
      [times[0]!, times[times.length - 1]!],
      Float64Array.from(y0),
      {
        method: options.method ?? 'RK45',
        rtol: options.rtol ?? 1e-10,
        atol: options.atol ?? 1e-10,
        tEval: times,
      },
    );
    if (!res.success) throw new ValueError(op, `the integration failed: ${res.message}`);
    // solveIVP returns (variables × times), as SciPy; SINDy's data are (samples × variables).
    const n = f.names.length;
    const nt = res.t.length;
    const y = res.y.dataSync();
    const out = new Float64Array(nt * n);
    for (let i = 0; i < nt; i++) for (let j = 0; j < n; j++) out[i * n + j] = y[j * nt + i]!;
    return fromTypedArray(out, [nt, n]);
  }

  /**
   * How well the model predicts derivatives: mean R² over variables (default, pysindy's `score`) or the mean
   * squared error, against `xDot` or derivatives estimated from `x` with the model's differentiation method.
   */
  score(x: MatrixLike, options: SINDyScoreOptions): number {
    const op = 'SINDy.score';
    const X = readMatrix(op, x);
    let target: Matrix;
    if (options.xDot !== undefined) target = readMatrix(op, options.xDot, 'xDot');
    else if (options.t !== undefined)
      target = readMatrix(op, this.differentiation.differentiate(toNDArray(X), options.t));
    else throw new ValueError(op, 'pass the sample times { t } or the derivatives { xDot }');
    if (target.rows !== X.rows || target.cols !== X.cols) {
      throw new ShapeError(
        op,
        `xDot is ${target.rows} × ${target.cols} but x is ${X.rows} × ${X.cols}`,
      );
    }
    const pred = this.#predict(op, X);
    return (options.metric ?? 'r2') === 'r2'
      ? r2Score(target, pred)
      : meanSquaredError(target, pred);
  }

  /**
   * Rollout error: simulates the model from the first row of `x` over the sample times `t` and returns
   * ‖X_sim − X‖_F / ‖X‖_F. Chaotic systems diverge from any model eventually, so compare over a few
   * Lyapunov times.
   */
  rolloutError(
    x: MatrixLike,
    t: readonly number[] | Float64Array | NDArray,
    options: SINDySimulateOptions = {},
  ): number {
    const X = readMatrix('SINDy.rolloutError', x);
    const sim = readMatrix(
      'SINDy.rolloutError',
      this.simulate(X.data.subarray(0, X.cols), t, options),
    );
    if (sim.rows !== X.rows)
      throw new ShapeError('SINDy.rolloutError', `got ${sim.rows} times for ${X.rows} samples`);
    return relativeError(X, sim);
  }
}
