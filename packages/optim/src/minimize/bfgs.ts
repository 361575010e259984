import { type NDArray, NotFiniteError, ShapeError, ValueError } from '@sciml/linalg';
import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot, matVec, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';
import { type BfgsUpdate, updateScaling } from './self-scaling.js';

/** Options of the dense quasi-Newton method. */
export interface BfgsOptions extends MinimizeOptions {
  /** Inverse-Hessian update (default 'bfgs'); see {@link updateScaling}. */
  bfgsUpdate?: BfgsUpdate;
  /**
   * Starting inverse Hessian H₀ (n × n, row-major, symmetric positive definite, already checked), e.g. the
   * `hessInv` of an earlier run to warm-start it; default the identity, scaled by yᵀs/yᵀy at the first update.
   */
  hessInv0?: Float64Array;
}

/**
 * `hessInv0` as a host float64 copy, after checking it is (n, n), finite and symmetric with a positive
 * diagonal (a full Cholesky test would cost O(n³) per warm start; an indefinite H₀ is caught at run time, where
 * a non-descent direction restarts from the identity).
 */
export function checkHessInv0(op: string, h0: NDArray, n: number): Float64Array {
  if (h0.ndim !== 2 || h0.shape[0] !== n || h0.shape[1] !== n)
    throw new ShapeError(
      op,
      `hessInv0 must be (${n}, ${n}) for ${n} parameters, got [${h0.shape.join(', ')}]`,
    );
  const H = Float64Array.from(h0.dataSync() as ArrayLike<number>);
  for (let i = 0; i < n * n; i++)
    if (!Number.isFinite(H[i]!))
      throw new NotFiniteError(
        op,
        `hessInv0 has a non-finite entry at ${Math.floor(i / n)}, ${i % n}`,
      );
  for (let i = 0; i < n; i++) {
    if (!(H[i * n + i]! > 0))
      throw new ValueError(
        op,
        `hessInv0 must be positive definite, but its diagonal entry ${i} is ${H[i * n + i]}`,
      );
    for (let j = 0; j < i; j++) {
      const a = H[i * n + j]!;
      const b = H[j * n + i]!;
      if (Math.abs(a - b) > 1e-10 * Math.sqrt(H[i * n + i]! * H[j * n + j]!))
        throw new ValueError(
          op,
          `hessInv0 must be symmetric, but entries (${i}, ${j}) and (${j}, ${i}) are ${a} and ${b}: pass (H + Hᵀ)/2`,
        );
    }
  }
  return H;
}

/**
 * Dense quasi-Newton minimisation with a strong-Wolfe line search. The inverse Hessian approximation is
 * updated by the Broyden-class formula H ← (1/τ)[H − Hy yᵀH/(yᵀHy) + φ (yᵀHy) v vᵀ] + ρ s sᵀ,
 * v = ρs − Hy/(yᵀHy), ρ = 1/yᵀs: BFGS for τ = φ = 1 (Nocedal & Wright, Algorithm 6.1), or the self-scaled
 * BFGS / Broyden choices of τ and φ (Urbán, Stefanou & Pons 2025; see {@link updateScaling}). Without
 * `hessInv0`, H₀ = I is rescaled to (yᵀs / yᵀy) I before the first update (N&W eq. 6.20). A pair with yᵀs ≤ 0
 * is skipped; a direction that is not a descent one (H spoilt by rounding) restarts from the identity, rescaled
 * at the next update as at the start (also when `hessInv0` was given).
 */
export function* bfgs(
  obj: Objective,
  x0: Float64Array,
  options: BfgsOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const update = options.bfgsUpdate ?? 'bfgs';
  const n = x0.length;
  const H = new Float64Array(n * n);
  const identity = () => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = 1;
  };
  let first = !options.hessInv0;
  if (options.hessInv0) H.set(options.hessInv0);
  else identity();
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  const p = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  const done = (nit: number, success: boolean, message: string): MethodOutcome => ({
    x,
    f,
    g,
    nit,
    success,
    message,
    hessInv: H,
  });
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g)) return done(k, false, STOP.notFinite);
    if (normInf(g) <= r.gtol) return done(k, true, STOP.gradient);
    matVec(H, g, n, p);
    for (let i = 0; i < n; i++) p[i] = -p[i]!;
    if (!first && !(dot(p, g) < 0)) {
      identity();
      first = true;
      matVec(H, g, n, p);
      for (let i = 0; i < n; i++) p[i] = -p[i]!;
    }
    const alpha0 = first ? Math.min(1, 1 / Math.max(normInf(g), 1e-300)) : 1;
    const ls = yield* strongWolfe$(obj, x, f, g, p, { alpha0 });
    if (ls.alpha === undefined || !ls.g) return done(k, false, STOP.lineSearch);
    for (let i = 0; i < n; i++) {
      s[i] = ls.x[i]! - x[i]!;
      y[i] = ls.g[i]! - g[i]!;
    }
    // b = sᵀBs / yᵀs with Bs = −α∇f_k (before g moves on)
    const sg = dot(s, g);
    const alpha = ls.alpha;
    const xOld = x;
    const fOld = f;
    x = ls.x;
    f = ls.f;
    g = ls.g;
    const ys = dot(y, s);
    if (ys > 1e-12 * Math.sqrt(dot(y, y) * dot(s, s))) {
      const rho = 1 / ys;
      // the first update from the rescaled identity is plain BFGS: b needs the H that chose the step
      const scaled = !first && update !== 'bfgs';
      if (first) {
        const gamma = ys / dot(y, y);
        for (let i = 0; i < n; i++) H[i * n + i] = gamma;
        first = false;
      }
      matVec(H, y, n, Hy);
      const yHy = dot(y, Hy);
      const scaling = scaled
        ? updateScaling(update, -alpha * rho * sg, rho * yHy, n)
        : { tau: 1, phi: 1 };
      const { tau, phi } = scaling;
      // (1/τ)[H + (φ−1) Hy yᵀH/yᵀHy − φρ(s yᵀH + Hy sᵀ) + φρ²(yᵀHy) s sᵀ] + ρ s sᵀ, expanded so that BFGS's
      // φ = 1 cancels the Hy yᵀH term exactly rather than by rounding
      const cHH = (phi - 1) / (tau * yHy);
      const cSH = (-phi * rho) / tau;
      const cSS = (phi * rho * rho * yHy) / tau + rho;
      const cH = 1 / tau;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        const hi = Hy[i]!;
        const si = s[i]!;
        const a = cHH * hi + cSH * si;
        const b = cSH * hi + cSS * si;
        // the upper triangle, mirrored: H stays exactly symmetric, at half the cost
        for (let j = i; j < n; j++) {
          const v = cH * H[row + j]! + a * Hy[j]! + b * s[j]!;
          H[row + j] = v;
          H[j * n + i] = v;
        }
      }
    }
    if (r.callback?.(x, f, k + 1) === true) return done(k + 1, true, 'stopped by callback');
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return done(k + 1, true, stop);
  }
  return done(r.maxIter, false, STOP.maxIter);
}
