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
import type { WeakForm } from './weak/weak-form.js';
import type { SymbolicSystem } from '../systems/symbolic/define-system.js';
import { type SindySystemOptions, sindySystem } from '../systems/symbolic/from-sindy.js';

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
  /**
   * Fit the weak (integral) form instead of pointwise derivatives (`weakForm()`; Messenger & Bortz 2021):
   * robust to noise, and the differentiation method is not used by `fit`.
   */
  weakForm?: WeakForm;
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
  /**
   * Control inputs u (samples × inputs, one matrix per trajectory) for SINDy with control (SINDYc; Brunton,
   * Proctor & Kutz 2016, IFAC-PapersOnLine 49(18):710): the library is evaluated on [x, u], and only ẋ is
   * modelled, so ẋ = Ξ Θ(x, u).
   */
  u?: MatrixLike | readonly MatrixLike[];
  /** Names of the control inputs (default `u0, u1, …`). */
  controlNames?: readonly string[];
}

/** Control input of a fitted SINDYc model while it is simulated: a function of time, or one value per time. @public */
export type ControlSignal = ((t: number) => ArrayLike<number>) | MatrixLike;

/** Options of {@link SINDy.simulate}. @public */
export interface SINDySimulateOptions {
  /** Integration method of `solveIVP` (default `'RK45'`). */
  method?: OdeMethod;
  /** Relative tolerance (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance (default 1e-10). */
  atol?: number;
  /**
   * Control inputs of a model fitted with `u` (SINDYc): a function u(t), or a matrix (times × inputs) with one
   * row per output time, interpolated linearly in between.
   */
  u?: ControlSignal;
}

/** Options of {@link SINDy.score}. @public */
export interface SINDyScoreOptions {
  /** Time step or sample times of `x` (needed unless `xDot` is given). */
  t?: TimeGrid;
  /** Derivatives to score against (default: estimated from `x` by the model's differentiation method). */
  xDot?: MatrixLike;
  /** `'r2'` (default; mean R² over variables) or `'mse'`. */
  metric?: 'r2' | 'mse';
  /** Control inputs (samples × inputs) of a SINDYc model. */
  u?: MatrixLike;
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
  /** The weak formulation, when the model fits the integral form. */
  readonly weakForm: WeakForm | undefined;
  readonly #maxTerms: number;
  #fit: FittedModel | undefined;

  /** A model with the given parts (each has a default). */
  constructor(options: SINDyOptions = {}) {
    this.library = options.library ?? polynomialLibrary({ degree: 2 });
    this.optimizer = options.optimizer ?? stlsq();
    this.differentiation = options.differentiation ?? finiteDifference();
    this.weakForm = options.weakForm;
    this.#maxTerms = options.maxLibraryTerms ?? SINDY_MAX_LIBRARY_TERMS;
  }

  /**
   * Fits the model to one trajectory (samples × variables) or a list of them: estimates dX/dt (unless
   * `xDot` is given), evaluates the library and runs the optimiser on all samples together. With a weak form
   * it builds the integral system instead (no derivatives); with control inputs `u` (SINDYc) the library is
   * evaluated on [x, u].
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
    const xDots = perTrajectory(op, 'derivative arrays', options.xDot, trajectories.length);
    const controls = perTrajectory(op, 'control matrices', options.u, trajectories.length);
    if (xDots && this.weakForm) {
      throw new ValueError(
        op,
        'the weak form integrates against test functions and takes no derivatives; drop xDot or the weakForm option',
      );
    }
    const useSmoothed = options.useSmoothed ?? true;
    const thetas: Matrix[] = [];
    const targets: Matrix[] = [];
    let nVars = -1;
    let nControls = 0;
    trajectories.forEach((traj, i) => {
      const X = readMatrix(op, traj);
      const U = controls ? readMatrix(op, controls[i]!, 'u') : undefined;
      if (U && U.rows !== X.rows) {
        throw new ShapeError(op, `u ${i} has ${U.rows} samples but x has ${X.rows}`);
      }
      nControls = U?.cols ?? 0;
      checkOrientation(op, X.rows, X.cols + nControls, this.library, this.#maxTerms);
      if (nVars >= 0 && X.cols !== nVars) {
        throw new ShapeError(
          op,
          `trajectory ${i} has ${X.cols} variables, trajectory 0 has ${nVars}`,
        );
      }
      nVars = X.cols;
      if (this.weakForm) {
        const times = resolveTimes(op, grids[i]!, X.rows).times;
        const w = this.weakForm.build(op, this.library, withControls(X, U), X, times);
        thetas.push(w.theta);
        targets.push(w.target);
        return;
      }
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
      thetas.push(evaluateLibrary(op, this.library, withControls(state, U)));
      targets.push(dX);
    });
    const names = options.featureNames ? [...options.featureNames] : defaultNames(nVars);
    checkNames(op, names, nVars);
    const controlNames = options.controlNames
      ? [...options.controlNames]
      : Array.from({ length: nControls }, (_, j) => `u${j}`);
    if (controlNames.length !== nControls) {
      throw new ValueError(op, `got ${controlNames.length} control names for ${nControls} inputs`);
    }
    const theta = concatRows(op, thetas);
    const result = this.optimizer.fit(toNDArray(theta), toNDArray(concatRows(op, targets)));
    const xi = Float64Array.from(result.coefficients.dataSync());
    const terms = this.library.names([...names, ...controlNames]);
    this.#fit = { names, controlNames, terms, result, xi };
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

  #fitted(op: string): FittedModel {
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

  /** Names of the control inputs (empty without control). */
  get controlNames(): string[] {
    return [...this.#fitted('SINDy.controlNames').controlNames];
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

  /**
   * The right-hand side f(x) = Ξ Θ(x) (or Ξ Θ(x, u) with control) for one state, written into `out`
   * (allocated when omitted).
   */
  rhs(state: ArrayLike<number>, out?: Float64Array, control?: ArrayLike<number>): Float64Array {
    const op = 'SINDy.rhs';
    const f = this.#fitted(op);
    const n = f.names.length;
    if (state.length !== n)
      throw new ShapeError(op, `the state has ${state.length} components, the model ${n}`);
    const res = out ?? new Float64Array(n);
    const input = new Float64Array(n + f.controlNames.length);
    input.set(state);
    setControl(op, f, input, control);
    const features = new Float64Array(f.terms.length);
    applyModel(this.library, f, input, features, res);
    return res;
  }

  /**
   * The model as a compiled {@link SymbolicSystem} (`defineSystem`): equations Σⱼ Ξᵢⱼ θⱼ(x) written from the
   * term names, with an analytic Jacobian and fixed-step loops with f written in; checked against `rhs` at
   * sample states (a `ValueError` when the library's names are not its formulas, or with control inputs).
   */
  toSystem(options: SindySystemOptions = {}): SymbolicSystem {
    this.#fitted('SINDy.toSystem');
    return sindySystem(this, options);
  }

  /**
   * The model as an in-place right-hand side for `solveIVP` (autonomous: ignores t). A SINDYc model needs
   * its control input as a function of time.
   */
  odeRhs(control?: (t: number) => ArrayLike<number>): OdeRhsInPlace {
    const op = 'SINDy.odeRhs';
    const f = this.#fitted(op);
    const n = f.names.length;
    const features = new Float64Array(f.terms.length);
    const input = new Float64Array(n + f.controlNames.length);
    if (f.controlNames.length > 0 && !control) {
      throw new ValueError(
        op,
        `the model has ${f.controlNames.length} control inputs; pass u as a function of t`,
      );
    }
    const lib = this.library;
    return (t, y, dydt) => {
      input.set(y);
      if (control) setControl(op, f, input, control(t));
      applyModel(lib, f, input, features, dydt);
    };
  }

  /** Predicted derivatives Θ(X) Ξᵀ for every row of `x`, shape (samples × variables); `u` for SINDYc. */
  predict(x: MatrixLike, options: { u?: MatrixLike } = {}): NDArray {
    const op = 'SINDy.predict';
    return toNDArray(
      this.#predict(
        op,
        readMatrix(op, x),
        options.u === undefined ? undefined : readMatrix(op, options.u, 'u'),
      ),
    );
  }

  #predict(op: string, X: Matrix, U: Matrix | undefined): Matrix {
    const f = this.#fitted(op);
    const n = f.names.length;
    const m = f.controlNames.length;
    if (X.cols !== n) throw new ShapeError(op, `x has ${X.cols} variables, the model ${n}`);
    if ((U?.cols ?? 0) !== m || (U && U.rows !== X.rows)) {
      throw new ShapeError(
        op,
        `the model has ${m} control inputs; u must be ${X.rows} × ${m}, got ${U ? `${U.rows} × ${U.cols}` : 'none'}`,
      );
    }
    const out = new Float64Array(X.rows * n);
    const input = new Float64Array(n + m);
    const features = new Float64Array(f.terms.length);
    for (let r = 0; r < X.rows; r++) {
      input.set(X.data.subarray(r * n, (r + 1) * n));
      if (U) input.set(U.data.subarray(r * m, (r + 1) * m), n);
      applyModel(this.library, f, input, features, out.subarray(r * n, (r + 1) * n));
    }
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
    const control = options.u === undefined ? undefined : controlFunction(op, options.u, times);
    const res = solveIVP(
      this.odeRhs(control),
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
    const U = options.u === undefined ? undefined : readMatrix(op, options.u, 'u');
    const pred = this.#predict(op, X, U);
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

/** What `fit` leaves behind. */
interface FittedModel {
  names: string[];
  controlNames: string[];
  terms: string[];
  result: SparseRegressionResult;
  xi: Float64Array;
}

/** One entry per trajectory of an optional per-trajectory argument (or undefined when absent). */
function perTrajectory(
  op: string,
  what: string,
  v: MatrixLike | readonly MatrixLike[] | undefined,
  n: number,
): readonly MatrixLike[] | undefined {
  if (v === undefined) return undefined;
  const list = isTrajectoryList(v) ? v : [v as MatrixLike];
  if (list.length !== n)
    throw new ShapeError(op, `got ${list.length} ${what} for ${n} trajectories`);
  return list;
}

/** [X, U] side by side (X itself without control). */
function withControls(X: Matrix, U: Matrix | undefined): Matrix {
  if (!U || U.cols === 0) return X;
  const c = X.cols + U.cols;
  const data = new Float64Array(X.rows * c);
  for (let r = 0; r < X.rows; r++) {
    data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), r * c);
    data.set(U.data.subarray(r * U.cols, (r + 1) * U.cols), r * c + X.cols);
  }
  return { rows: X.rows, cols: c, data };
}

/** Writes the control values after the state in `input`, checking their number. */
function setControl(
  op: string,
  f: FittedModel,
  input: Float64Array,
  control: ArrayLike<number> | undefined,
): void {
  const m = f.controlNames.length;
  if ((control?.length ?? 0) !== m) {
    throw new ShapeError(
      op,
      `the model has ${m} control inputs, got ${control?.length ?? 0} values${m > 0 ? '; pass u' : ''}`,
    );
  }
  for (let j = 0; j < m; j++) input[f.names.length + j] = control![j]!;
}

/** out = Ξ Θ(input), with `features` as scratch. */
function applyModel(
  lib: FeatureLibrarySpec,
  f: FittedModel,
  input: Float64Array,
  features: Float64Array,
  out: Float64Array,
): void {
  const n = f.names.length;
  const p = f.terms.length;
  lib.evaluate(input, features, 0);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < p; j++) acc += f.xi[i * p + j]! * features[j]!;
    out[i] = acc;
  }
}

/** A control signal as a function of time: itself, or the rows of a matrix interpolated linearly in `times`. */
function controlFunction(
  op: string,
  u: ControlSignal,
  times: Float64Array,
): (t: number) => ArrayLike<number> {
  if (typeof u === 'function') return u;
  const U = readMatrix(op, u, 'u');
  if (U.rows !== times.length) {
    throw new ShapeError(
      op,
      `u has ${U.rows} rows for ${times.length} times; give one row per time`,
    );
  }
  const m = U.cols;
  const out = new Float64Array(m);
  return (t) => {
    // binary search for the interval [t_k, t_{k+1}] holding t (clamped at the ends)
    let lo = 0;
    let hi = times.length - 1;
    if (t <= times[0]!) hi = 0;
    else if (t >= times[hi]!) lo = hi;
    else
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (times[mid]! <= t) lo = mid;
        else hi = mid;
      }
    const w = hi === lo ? 0 : (t - times[lo]!) / (times[hi]! - times[lo]!);
    for (let j = 0; j < m; j++) out[j] = (1 - w) * U.data[lo * m + j]! + w * U.data[hi * m + j]!;
    return out;
  };
}
