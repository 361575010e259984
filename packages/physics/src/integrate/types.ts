import type { NDArray } from '@sciml/linalg';
import type { JacobianBand } from './fd-jacobian.js';
import type { MethodSwitch } from './steppers/auto-switch.js';

/**
 * Right-hand side of y' = f(t, y) written in place: it reads `y` and writes the derivative into `dydt`
 * (same length), returning nothing. This is the fast form: the integrators call it without allocating.
 * @public
 */
export type OdeRhsInPlace = (t: number, y: Float64Array, dydt: Float64Array) => void;

/**
 * Right-hand side of y' = f(t, y) that returns the derivative (a new `number[]` or `Float64Array` of the
 * same length as `y`). Friendlier than {@link OdeRhsInPlace}, at the cost of one allocation per call.
 * @public
 */
export type OdeRhsReturning = (t: number, y: Float64Array) => ArrayLike<number>;

/**
 * Either form of the right-hand side ({@link OdeRhsInPlace} or {@link OdeRhsReturning}), as one signature
 * so that TypeScript infers the parameters of an inline arrow function. `solveIVP` tells the forms apart
 * by arity (`f.length >= 3` is in place); pass `rhsForm` when the arity does not say (rest parameters,
 * default values, wrapped functions).
 * @public
 */
// biome-ignore lint/suspicious/noConfusingVoidType: an in-place f returns nothing, a returning f an array
export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void | ArrayLike<number>;

/**
 * Jacobian ∂f/∂y of the right-hand side, written in place into `jac` (n×n, row-major: jac[i*n + j] =
 * ∂fᵢ/∂yⱼ), or returned as nested rows / a flat row-major array.
 * @public
 */
export type OdeJacobian =
  | ((t: number, y: Float64Array, jac: Float64Array) => void)
  | ((t: number, y: Float64Array) => ArrayLike<number> | ArrayLike<ArrayLike<number>>);

/**
 * Integration methods of `solveIVP`:
 * - `'Euler'`: explicit Euler, fixed step `dt`, order 1.
 * - `'RK4'`: classical Runge–Kutta, fixed step `dt`, order 4.
 * - `'RK45'`: Dormand–Prince 5(4), adaptive, FSAL, 4th-order dense output (SciPy's default and name).
 * - `'DOP853'`: Dormand–Prince 8(5,3), adaptive, FSAL, 7th-order dense output (Hairer's `dop853`, SciPy's
 *   `DOP853`): for tight tolerances on smooth problems.
 * - `'Tsit5'`: Tsitouras 5(4), adaptive, FSAL, 4th-order dense output.
 * - `'Rosenbrock23'`: Shampine–Reichelt modified Rosenbrock 2(3) (MATLAB's ode23s), adaptive, L-stable,
 *   for stiff problems; needs a Jacobian (given, or by finite differences).
 * - `'Radau'`: Radau IIA of order 5 (Hairer–Wanner's `radau5`, SciPy's `Radau`), adaptive, L-stable,
 *   stiffly accurate, for stiff problems at tight tolerances; needs a Jacobian (given, or by finite
 *   differences), reused across steps while Newton converges fast.
 * - `'Vern7'`, `'Vern9'`: Verner's 7(6) and 9(8) pairs (OrdinaryDiffEq.jl's `Vern7`/`Vern9`), adaptive, with
 *   Verner's 7th/9th-order interpolants (6/10 extra stages, paid only at steps that serve `tEval`, events or
 *   `denseOutput`): the most efficient explicit methods at tolerances of 1e-8 … 1e-13 on smooth problems.
 * - `'Kvaerno5'`: Kværnø's 5(4) ESDIRK pair (diffrax's and OrdinaryDiffEq.jl's `Kvaerno5`), adaptive,
 *   L-stable, stiffly accurate; one LU of I − hγJ shared by its six implicit stages. Its dense output (`tEval`,
 *   events, `denseOutput`) is the cubic Hermite interpolant through (y₀, f₀), (y₁, f₁), only 3rd-order accurate
 *   between steps: measured on the harmonic oscillator over [0, 10], max error 4.4e-5 between steps against
 *   1.6e-5 at the steps at rtol 1e-6, and 1.7e-8 against 1.5e-9 at rtol 1e-10. For accurate `tEval` at tight
 *   tolerances use `'Radau'` (its collocation polynomial is the dense output).
 * - `'Auto'`: automatic stiffness switching (as LSODA, or OrdinaryDiffEq.jl's `AutoTsit5(Rosenbrock23())`):
 *   starts with `'RK45'`, switches to `'Radau'` when Hairer's estimate |h|·‖f(y₁) − f(Y₆)‖/‖y₁ − Y₆‖ sits at
 *   the explicit stability boundary (> 3.25) for 15 steps, and back once |h|·ρ(J) < 2 for 10 Radau steps.
 *   The switch times are in `OdeResult.switches`.
 * @public
 */
export type OdeMethod =
  | 'Euler'
  | 'RK4'
  | 'RK45'
  | 'DOP853'
  | 'Tsit5'
  | 'Rosenbrock23'
  | 'Radau'
  | 'Kvaerno5'
  | 'Vern7'
  | 'Vern9'
  | 'Auto';

/**
 * An event function g(t, y) whose zero crossings `solveIVP` locates on the dense output (SciPy's
 * `events`). A plain function is an event that does not stop the integration and counts both directions.
 * @public
 */
export type OdeEvent =
  | ((t: number, y: Float64Array) => number)
  | {
      /** The event function; its zeros are the events. */
      g: (t: number, y: Float64Array) => number;
      /** Stop the integration at the first occurrence (default false). */
      terminal?: boolean;
      /** Only crossings with this sign of slope: 1 (g goes − to +), −1 (+ to −), 0 both (default). */
      direction?: -1 | 0 | 1;
    };

/** Options of `solveIVP`. @public */
export interface SolveIVPOptions {
  /** Integration method (default `'RK45'`). */
  method?: OdeMethod;
  /** Relative tolerance of the adaptive methods (default 1e-3, as SciPy). */
  rtol?: number;
  /** Absolute tolerance, scalar or per component (default 1e-6, as SciPy). */
  atol?: number | ArrayLike<number>;
  /**
   * Times at which to store the solution, sorted in the direction of integration and inside tSpan
   * (values between steps come from the method's dense output). Default: every step.
   */
  tEval?: ArrayLike<number>;
  /** Step size of the fixed-step methods (`'Euler'`, `'RK4'`); required for them. */
  dt?: number;
  /** Largest step the adaptive methods may take (default: unbounded). */
  maxStep?: number;
  /** Initial step of the adaptive methods (default: chosen by Hairer's algorithm from f(t0, y0)). */
  firstStep?: number;
  /**
   * Give up (status −1) after this many accepted + rejected steps (default 10⁶; must be finite). A `dt` or
   * `maxStep` that cannot cover tSpan within it is a `ValueError` before the run starts.
   */
  maxSteps?: number;
  /** Event functions whose zero crossings are located and reported (SciPy's `events`). */
  events?: OdeEvent | readonly OdeEvent[];
  /** Jacobian ∂f/∂y for the stiff methods `'Rosenbrock23'`, `'Radau'`, `'Kvaerno5'`, `'Auto'` (default: forward finite differences, Hairer's increments). */
  jac?: OdeJacobian;
  /**
   * Band of ∂f/∂y (∂fᵢ/∂yⱼ = 0 unless −uband ≤ i − j ≤ lband; a method-of-lines PDE): the stiff methods'
   * finite-difference Jacobian then groups columns (Curtis–Powell–Reid) and costs lband + uband + 1
   * evaluations of f instead of n (unless `jac` is given), and the Newton matrices (I − hγJ, Radau's complex
   * block) are factored by banded LU with partial pivoting, O(n·lband·(lband + uband)) instead of O(n³).
   * J itself is kept in band storage, n·(lband + uband + 1) numbers instead of n², so `'Auto'`'s stiffness
   * estimate (power iteration on J) costs O(n·(lband + uband)) per product (a given `jac` still fills an n×n
   * buffer: its signature). Entries of J outside the band are never read, also from `jac`.
   */
  jacBand?: JacobianBand;
  /** Form of `f`: `'inplace'` (t, y, dydt) or `'return'` (t, y) → dydt (default: by `f.length`). */
  rhsForm?: 'inplace' | 'return';
  /** Also return the continuous solution `sol(t)` over the whole interval (default false). */
  denseOutput?: boolean;
}

/** Result of `solveIVP`, shaped like SciPy's `OdeResult`. @public */
export interface OdeResult {
  /** Times of the stored solution (the steps, or `tEval`), length nt. */
  t: Float64Array;
  /**
   * The solution, shape (n_states, nt) as in SciPy: row i is the time series of component i. Data-driven
   * tools that want one row per sample (`SINDy.fit`, scalers, `timeWindows`) take `transpose(sol.y)`.
   */
  y: NDArray;
  /** Number of right-hand-side evaluations (the Jacobian's finite differences included). */
  nfev: number;
  /** Number of Jacobian evaluations. */
  njev: number;
  /** Number of LU factorisations. */
  nlu: number;
  /** Number of accepted steps. */
  nsteps: number;
  /** Number of rejected steps (error test failed). */
  nrejected: number;
  /** 0: reached the end of tSpan; 1: a terminal event occurred; −1: the integration failed. */
  status: -1 | 0 | 1;
  /** Human-readable reason for the status. */
  message: string;
  /** True when status ≥ 0. */
  success: boolean;
  /** For each event function, the times of its zero crossings. */
  tEvents: Float64Array[];
  /** For each event function, the states at its crossings, shape (n_events, n_states). */
  yEvents: NDArray[];
  /** `'Auto'` only: the method changes, in time order (the run starts with `'RK45'`). */
  switches?: MethodSwitch[];
  /** The continuous solution y(t) for t in the integrated interval, when `denseOutput` was set. */
  sol?: (t: number) => Float64Array;
}
