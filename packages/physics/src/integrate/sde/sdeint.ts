/**
 * `sdeint`: fixed-step solvers for stochastic differential equations with diagonal noise,
 * dY = f(t, Y) dt + g(t, Y) ∘ dW (componentwise: dYᵢ = fᵢ dt + gᵢ dWᵢ), on float64 state vectors, driven by
 * a {@link VirtualBrownianTree} so that every step size sees the same Brownian path (Kloeden & Platen,
 * "Numerical Solution of Stochastic Differential Equations", 1992, §§10.2–10.3; Higham, "An algorithmic
 * introduction to numerical simulation of SDEs", SIAM Review 43 (2001)).
 *
 * - `'EulerMaruyama'` (Itô): Y += f h + g ΔW. Strong order 0.5, weak order 1.
 * - `'Milstein'` (Itô or Stratonovich): Y += f h + g ΔW + ½ g ∂g/∂y (ΔW² − h) (Itô; no −h for Stratonovich).
 *   Strong order 1 for diagonal noise.
 * - `'EulerHeun'` (Stratonovich): Ŷ = Y + f h + g ΔW, Y += f h + ½ (g(Y) + g(Ŷ)) ΔW. Strong order 1 for
 *   diagonal noise (torchsde's and diffrax's `EulerHeun`).
 */
import { type NDArray, NotFiniteError, ValueError } from '@sciml/linalg';
import { fixedStepCount } from '../steppers/fixed.js';
import { TrajectoryBuffer } from '../output.js';
import { toStateVector } from '../solve-ivp.js';
import type { OdeRhsInPlace } from '../types.js';
import { VirtualBrownianTree } from './brownian-tree.js';

const OP = 'sdeint';

/** Methods of {@link sdeint}. @public */
export type SdeMethod = 'EulerMaruyama' | 'Milstein' | 'EulerHeun';

/** A Brownian path W(t) that can be queried at any time of its interval (e.g. {@link VirtualBrownianTree}). @public */
export interface BrownianPath {
  /** Number of independent components. */
  readonly dim: number;
  /** Writes W(t) into `out` and returns it. */
  evaluate(t: number, out?: Float64Array): Float64Array;
}

/** Options of {@link sdeint}. @public */
export interface SdeintOptions {
  /** Method (default `'EulerMaruyama'`). */
  method?: SdeMethod;
  /** Step size (required): steps t0 + k·dt, the last shortened to land on t1. */
  dt: number;
  /** The driving Brownian path, one component per state component (default: a tree seeded by `seed`). */
  bm?: BrownianPath;
  /** Seed of the default Brownian tree (default 0). */
  seed?: number;
  /**
   * Interpretation of the noise (default `'ito'`). `'EulerMaruyama'` is Itô-only and `'EulerHeun'`
   * Stratonovich-only; `'Milstein'` takes either (the correction term differs).
   */
  calculus?: 'ito' | 'stratonovich';
  /** Diagonal of ∂g/∂y, in place (Milstein; default: one forward difference of g in all components). */
  dgdy?: OdeRhsInPlace;
  /** Times at which to record the solution, sorted and inside tSpan (default: every step). */
  tEval?: ArrayLike<number>;
}

/** Result of {@link sdeint}. @public */
export interface SdeResult {
  /** Times of the stored solution. */
  t: Float64Array;
  /** The solution, shape (n_states, nt) as in `solveIVP`. */
  y: NDArray;
  /** Number of steps taken. */
  nsteps: number;
}

/**
 * Solves dY = f(t, Y) dt + g(t, Y) dW with diagonal noise (independent Wᵢ per component) on tSpan with a
 * fixed step. `f` and `g` are in place, as `solveIVP`'s fast form. The Brownian path is a
 * {@link VirtualBrownianTree} (or the one passed as `bm`), so halving `dt` refines the same path: the
 * strong error against a closed form shrinks with the method's order. Output times that fall between steps
 * are not interpolated: give `tEval` on the step grid (a `ValueError` otherwise).
 * @example
 * ```ts
 * // geometric Brownian motion dX = μX dt + σX dW
 * const r = sdeint((_t, x, d) => { d[0] = 0.5 * x[0]; }, (_t, x, d) => { d[0] = 0.2 * x[0]; }, [0, 1], [1], { dt: 1e-3, method: 'Milstein', seed: 3 });
 * ```
 * @public
 */
export function sdeint(
  f: OdeRhsInPlace,
  g: OdeRhsInPlace,
  tSpan: readonly [number, number],
  y0: ArrayLike<number> | NDArray,
  options: SdeintOptions,
): SdeResult {
  const method = options.method ?? 'EulerMaruyama';
  if (method !== 'EulerMaruyama' && method !== 'Milstein' && method !== 'EulerHeun')
    throw new ValueError(
      OP,
      `unknown method '${String(method)}'; choose 'EulerMaruyama', 'Milstein' or 'EulerHeun'`,
    );
  const calculus = options.calculus ?? (method === 'EulerHeun' ? 'stratonovich' : 'ito');
  if (method === 'EulerMaruyama' && calculus !== 'ito')
    throw new ValueError(
      OP,
      "Euler–Maruyama converges to the Itô solution; for Stratonovich use 'EulerHeun' or 'Milstein'",
    );
  if (method === 'EulerHeun' && calculus !== 'stratonovich')
    throw new ValueError(
      OP,
      "Euler–Heun converges to the Stratonovich solution; for Itô use 'EulerMaruyama' or 'Milstein'",
    );
  if (typeof f !== 'function' || typeof g !== 'function')
    throw new ValueError(OP, 'f (drift) and g (diffusion) must be functions (t, y, out) => void');
  const [t0, t1] = tSpan;
  if (!Number.isFinite(t0) || !Number.isFinite(t1))
    throw new NotFiniteError(OP, `tSpan = [${t0}, ${t1}] must be finite`);
  if (!(t1 > t0)) throw new ValueError(OP, `tSpan = [${t0}, ${t1}] must have t0 < t1`);
  const dt = options.dt;
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(OP, `dt must be positive and finite, got ${String(dt)}`);
  const y = toStateVector(OP, y0);
  const n = y.length;
  const bm = options.bm ?? new VirtualBrownianTree(t0, t1, { seed: options.seed ?? 0, dim: n });
  if (bm.dim !== n)
    throw new ValueError(
      OP,
      `the Brownian path has ${bm.dim} components, the state ${n}: diagonal noise needs one per state component`,
    );
  const steps = fixedStepCount(t1 - t0, dt);
  const grid = (k: number) => (k === steps ? t1 : t0 + k * dt);
  const tEval = options.tEval === undefined ? undefined : Float64Array.from(options.tEval);
  const out = new TrajectoryBuffer(n, tEval ? tEval.length : steps + 1);
  let evalIndex = 0;
  const record = (t: number) => {
    if (!tEval) {
      out.push(t, y);
      return;
    }
    while (evalIndex < tEval.length && tEval[evalIndex] <= t) {
      if (tEval[evalIndex] !== t)
        throw new ValueError(
          OP,
          `tEval[${evalIndex}] = ${tEval[evalIndex]} is not on the step grid t0 + k·dt; sdeint does not interpolate a stochastic path`,
        );
      out.push(t, y);
      evalIndex++;
    }
  };
  record(t0);

  const fy = new Float64Array(n);
  const gy = new Float64Array(n);
  const g2 = new Float64Array(n);
  const yHat = new Float64Array(n);
  const dg = new Float64Array(n);
  const wOld = bm.evaluate(t0, new Float64Array(n));
  const wNew = new Float64Array(n);
  const stratonovich = calculus === 'stratonovich';
  for (let k = 0; k < steps; k++) {
    const t = grid(k);
    const tn = grid(k + 1);
    const h = tn - t;
    bm.evaluate(tn, wNew);
    f(t, y, fy);
    g(t, y, gy);
    if (method === 'EulerMaruyama') {
      for (let i = 0; i < n; i++) y[i] += fy[i] * h + gy[i] * (wNew[i] - wOld[i]);
    } else if (method === 'EulerHeun') {
      for (let i = 0; i < n; i++) yHat[i] = y[i] + fy[i] * h + gy[i] * (wNew[i] - wOld[i]);
      g(t, yHat, g2);
      for (let i = 0; i < n; i++) y[i] += fy[i] * h + 0.5 * (gy[i] + g2[i]) * (wNew[i] - wOld[i]);
    } else {
      if (options.dgdy) options.dgdy(t, y, dg);
      else diagonalDerivative(g, t, y, gy, dg, yHat, g2);
      for (let i = 0; i < n; i++) {
        const dW = wNew[i] - wOld[i];
        const corr = stratonovich ? dW * dW : dW * dW - h;
        y[i] += fy[i] * h + gy[i] * dW + 0.5 * gy[i] * dg[i] * corr;
      }
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i]))
        throw new NotFiniteError(
          OP,
          `the state became ${y[i]} at t = ${tn} (component ${i}); reduce dt or check f and g`,
        );
    }
    wOld.set(wNew);
    record(tn);
  }
  if (tEval && evalIndex < tEval.length)
    throw new ValueError(OP, `tEval[${evalIndex}] = ${tEval[evalIndex]} lies outside tSpan`);
  const { t, y: ys } = out.finish();
  return { t, y: ys, nsteps: steps };
}

/**
 * ∂gᵢ/∂yᵢ by forward differences, all components at once (one g call). Exact to O(δ) when gᵢ depends on yᵢ
 * only, which is what diagonal noise must satisfy for Milstein's order 1 anyway (the commutativity
 * condition gⱼ ∂gₖ/∂yⱼ = gₖ ∂gⱼ/∂yₖ; otherwise Lévy areas enter: Kloeden & Platen §10.3).
 */
function diagonalDerivative(
  g: OdeRhsInPlace,
  t: number,
  y: Float64Array,
  gy: Float64Array,
  out: Float64Array,
  yPert: Float64Array,
  gPert: Float64Array,
): void {
  const n = y.length;
  for (let i = 0; i < n; i++)
    yPert[i] = y[i] + Math.sqrt(Number.EPSILON) * Math.max(1, Math.abs(y[i]));
  g(t, yPert, gPert);
  for (let i = 0; i < n; i++) out[i] = (gPert[i] - gy[i]) / (yPert[i] - y[i]);
}
