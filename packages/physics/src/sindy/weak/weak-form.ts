import { ShapeError } from '@sciml/linalg';
import { type FeatureLibrarySpec, evaluateLibrary } from '../library/feature-library.js';
import { type Matrix, checkPositiveInt } from '../matrix.js';

/** Options of {@link weakForm}. @public */
export interface WeakFormOptions {
  /** Number of test functions (integration subdomains) per trajectory (default 200, fewer if the data are short). */
  testFunctions?: number;
  /** Half-width of each test function's support, in samples (default 25). */
  halfWidth?: number;
  /** Exponent p of the bump φ(s) = (1 − s²)ᵖ; φ and its first p − 1 derivatives vanish at the ends (default 4). */
  power?: number;
}

/** The weak-form regression problem of one trajectory: G Ξᵀ ≈ b. */
export interface WeakSystem {
  /** G, (test functions × library terms): Gₖⱼ = ∫ φₖ θⱼ(x(t)) dt / ∫ φₖ dt. */
  readonly theta: Matrix;
  /** b, (test functions × variables): bₖᵢ = −∫ φₖ′ xᵢ dt / ∫ φₖ dt. */
  readonly target: Matrix;
}

/**
 * A weak (integral) formulation of SINDy's regression: instead of pointwise derivatives Ẋ ≈ Θ(X)Ξᵀ it fits
 * the same equation tested against compactly supported bumps φₖ, and moves the time derivative onto φₖ by
 * parts, ∫ φₖ ẋ dt = −∫ φₖ′ x dt (Messenger & Bortz 2021, "Weak SINDy: Galerkin-based data-driven model
 * selection", Multiscale Model. Simul. 19(3):1474; pysindy's `WeakPDELibrary`). No derivative of the noisy
 * data is ever taken, and each integral averages the noise over the support, which is why it tolerates far
 * more noise than the strong form. Pass it to `new SINDy({ weakForm: weakForm() })`.
 * @public
 */
export interface WeakForm {
  /** Short description with the settings. */
  readonly description: string;
  /**
   * Builds G and b for one trajectory: `features` is the matrix the library is evaluated on (the state, or
   * the state with its control inputs), `state` the variables whose derivatives are modelled, `times` the
   * sample times.
   */
  build(
    op: string,
    library: FeatureLibrarySpec,
    features: Matrix,
    state: Matrix,
    times: Float64Array,
  ): WeakSystem;
}

/**
 * Weak-form SINDy's integral library over test functions φₖ(t) = (1 − s²)ᵖ, s = (t − cₖ)/hₖ, on evenly
 * spaced subdomains [cₖ − hₖ, cₖ + hₖ] of `2·halfWidth + 1` samples (Messenger & Bortz 2021). The integrals
 * are trapezoidal sums on the sample times, which are spectrally accurate here because φ's first p − 1
 * derivatives vanish at both ends (Euler–Maclaurin). Each row is normalised by ∫φₖ dt, so the coefficients
 * keep the scale of the strong form and one threshold serves both.
 * @example
 * ```ts
 * const model = new SINDy({ weakForm: weakForm({ testFunctions: 400, halfWidth: 40 }) }).fit(noisyX, { t: 0.002 });
 * ```
 * @public
 */
export function weakForm(options: WeakFormOptions = {}): WeakForm {
  const op = 'weakForm';
  const requested = checkPositiveInt(op, 'testFunctions', options.testFunctions ?? 200);
  const half = checkPositiveInt(op, 'halfWidth', options.halfWidth ?? 25);
  const p = checkPositiveInt(op, 'power', options.power ?? 4);
  return {
    description: `weakForm(testFunctions=${requested}, halfWidth=${half}, power=${p})`,
    build(fitOp, library, features, state, times) {
      const m = state.rows;
      if (m < 2 * half + 1) {
        throw new ShapeError(
          fitOp,
          `the weak form needs at least 2·halfWidth + 1 = ${2 * half + 1} samples per trajectory, got ${m}; lower halfWidth`,
        );
      }
      const K = Math.min(requested, m - 2 * half);
      const theta = evaluateLibrary(fitOp, library, features);
      const nf = theta.cols;
      const n = state.cols;
      const G = new Float64Array(K * nf);
      const b = new Float64Array(K * n);
      const span = m - 1 - 2 * half;
      for (let k = 0; k < K; k++) {
        const center = half + (K === 1 ? 0 : Math.round((k * span) / (K - 1)));
        const lo = center - half;
        const hi = center + half;
        const a = times[lo]!;
        const mid = 0.5 * (a + times[hi]!);
        const h = 0.5 * (times[hi]! - a);
        let norm = 0;
        // the end points carry φ = 0, so only the interior samples contribute
        for (let i = lo + 1; i < hi; i++) {
          const w = 0.5 * (times[i + 1]! - times[i - 1]!); // trapezoidal weight
          const s = (times[i]! - mid) / h;
          const q = 1 - s * s;
          const phi = q ** p;
          const dphi = (-2 * p * s * q ** (p - 1)) / h;
          norm += w * phi;
          for (let j = 0; j < nf; j++) G[k * nf + j]! += w * phi * theta.data[i * nf + j]!;
          for (let j = 0; j < n; j++) b[k * n + j]! -= w * dphi * state.data[i * n + j]!;
        }
        for (let j = 0; j < nf; j++) G[k * nf + j]! /= norm;
        for (let j = 0; j < n; j++) b[k * n + j]! /= norm;
      }
      return { theta: { rows: K, cols: nf, data: G }, target: { rows: K, cols: n, data: b } };
    },
  };
}
