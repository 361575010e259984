import { SingularMatrixError } from '@sciml/linalg';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';
import {
  type TrustStep,
  doglegStep,
  exactStep,
  lanczosTrustRegion$,
  steihaug$,
} from './trust-subproblems.js';

/** Options of the trust-region Newton methods. */
export interface TrustRegionOptions extends MinimizeOptions {
  /** Initial trust radius Δ₀ (default 1). */
  radius?: number;
  /** Largest trust radius (default 1000). */
  maxRadius?: number;
  /** Acceptance threshold η on ρ = actual/predicted reduction (default 0.15, as SciPy). */
  eta?: number;
}

/** The subproblem solvers behind 'trust-ncg', 'trust-krylov', 'dogleg' and 'trust-exact'. */
export type TrustSubproblem = 'steihaug' | 'lanczos' | 'dogleg' | 'exact';

/**
 * The basic trust-region method (Nocedal & Wright, Algorithm 4.1; SciPy's `_minimize_trust_region`): solve the
 * quadratic model within ‖p‖ ≤ Δ, accept when ρ > η, shrink Δ by 4 when ρ < ¼, double it (up to the maximum)
 * when ρ > ¾ and the step reached the boundary. The subproblem uses Hessian–vector products (Steihaug–CG,
 * Lanczos/GLTR) or the dense Hessian (dogleg; the exact Moré–Sorensen step).
 */
export function* trustRegion(
  obj: Objective,
  x0: Float64Array,
  subproblem: TrustSubproblem,
  options: TrustRegionOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  let delta = options.radius ?? 1;
  const maxRadius = options.maxRadius ?? 1000;
  const eta = options.eta ?? 0.15;
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  let H: Float64Array | undefined;
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    let step: TrustStep;
    const at = x;
    if (subproblem === 'dogleg') {
      H ??= yield* obj.hessian$(x);
      try {
        step = doglegStep(H, g, delta);
      } catch (e) {
        if (!(e instanceof SingularMatrixError)) throw e;
        return {
          x,
          f,
          g,
          nit: k,
          success: false,
          message:
            'the Hessian is not positive definite: dogleg needs a convex model (use trust-ncg or trust-krylov)',
        };
      }
    } else if (subproblem === 'exact') {
      H ??= yield* obj.hessian$(x);
      step = exactStep(H, g, delta);
    } else if (subproblem === 'lanczos') {
      step = yield* lanczosTrustRegion$((v) => obj.hessVec$(at, v), g, delta);
    } else {
      step = yield* steihaug$((v) => obj.hessVec$(at, v), g, delta);
    }
    const predicted = -step.model;
    if (!(predicted > 0))
      return {
        x,
        f,
        g,
        nit: k,
        success: false,
        message: 'the model predicts no decrease (rounding level reached)',
      };
    const xTrial = Float64Array.from(x, (v, i) => v + step.p[i]!);
    const fTrial = yield* obj.value$(xTrial);
    const rho = Number.isFinite(fTrial) ? (f - fTrial) / predicted : -1;
    if (rho < 0.25) delta *= 0.25;
    else if (rho > 0.75 && step.hitsBoundary) delta = Math.min(2 * delta, maxRadius);
    if (rho > eta) {
      const xOld = x;
      const fOld = f;
      x = xTrial;
      f = fTrial;
      g = yield* obj.gradient$(x);
      H = undefined;
      if (r.callback?.(x, f, k + 1) === true)
        return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
      const stop = stepConverged(r, xOld, x, fOld, f);
      if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
    }
    if (delta < 1e-15 * Math.max(1, normInf(x)))
      return { x, f, g, nit: k + 1, success: false, message: 'trust region collapsed' };
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
