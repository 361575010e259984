import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot, matVec, norm2, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';
import { steihaug } from './trust-subproblems.js';

/** Options of the SR1 trust-region method. */
export interface Sr1Options extends MinimizeOptions {
  /** Initial trust radius (default 1). */
  radius?: number;
  /** Largest trust radius (default 1e3). */
  maxRadius?: number;
}

/**
 * Approximately minimises the model gᵀp + ½pᵀBp within ‖p‖ ≤ Δ by Steihaug's truncated conjugate gradient
 * (Nocedal & Wright, Algorithm 7.2) for a dense row-major B; handles indefinite B by following negative
 * curvature to the boundary. The matrix-free version is `steihaug` (trust-subproblems.ts).
 */
export function steihaugCG(
  B: Float64Array,
  g: Float64Array,
  delta: number,
  n: number,
): Float64Array {
  return steihaug((v) => matVec(B, v, n), g, delta).p;
}

/**
 * Symmetric-rank-one quasi-Newton in a trust region (Nocedal & Wright, Algorithm 6.2): B ← B + (y − Bs)(y − Bs)ᵀ/((y − Bs)ᵀs),
 * skipped when the denominator is tiny; SR1 may build indefinite B, which the trust region tolerates.
 */
export function* sr1(
  obj: Objective,
  x0: Float64Array,
  options: Sr1Options = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  const B = new Float64Array(n * n);
  for (let i = 0; i < n; i++) B[i * n + i] = 1;
  let delta = options.radius ?? 1;
  const maxRadius = options.maxRadius ?? 1e3;
  const eta = 1e-4;
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  const Bs = new Float64Array(n);
  let scaled = false;
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    if (delta < 1e-14 * Math.max(1, norm2(x)))
      return { x, f, g, nit: k, success: false, message: 'trust region collapsed' };
    const s = steihaugCG(B, g, delta, n);
    const xTrial = Float64Array.from(x, (v, i) => v + s[i]!);
    const [fTrial, gTrial] = yield* obj.valueAndGrad$(xTrial);
    matVec(B, s, n, Bs);
    const predicted = -(dot(g, s) + 0.5 * dot(s, Bs));
    const actual = f - fTrial;
    const rho = Number.isFinite(fTrial) && predicted > 0 ? actual / predicted : -1;
    const y = Float64Array.from(gTrial, (v, i) => v - g[i]!);
    if (!scaled && Number.isFinite(fTrial)) {
      // scale B₀ by yᵀy / yᵀs once, when the first pair is seen (Nocedal & Wright eq. 6.20 for B)
      const ys = dot(y, s);
      if (ys > 0) {
        const gamma = dot(y, y) / ys;
        for (let i = 0; i < n; i++) B[i * n + i] = gamma;
        matVec(B, s, n, Bs);
      }
      scaled = true;
    }
    const xOld = x;
    const fOld = f;
    if (rho > eta) {
      x = xTrial;
      f = fTrial;
      g = gTrial;
    }
    const sNorm = norm2(s);
    if (rho > 0.75) {
      if (sNorm > 0.8 * delta) delta = Math.min(2 * delta, maxRadius);
    } else if (rho < 0.1) delta = 0.5 * delta;
    // SR1 update, skipped when |sᵀ(y − Bs)| < 1e-8 ‖s‖ ‖y − Bs‖ (N&W eq. 6.26)
    if (Number.isFinite(fTrial)) {
      const v = Float64Array.from(y, (yi, i) => yi - Bs[i]!);
      const den = dot(v, s);
      if (Math.abs(den) >= 1e-8 * sNorm * norm2(v)) {
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) B[i * n + j]! += (v[i]! * v[j]!) / den;
      }
    }
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    if (rho > eta) {
      const stop = stepConverged(r, xOld, x, fOld, f);
      if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
    }
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
