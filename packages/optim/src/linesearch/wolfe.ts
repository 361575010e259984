import { type Evaluations, type Objective, runSync } from '../objective.js';
import { axpy, dot } from '../vector.js';
import type { LineSearchResult } from './types.js';

/** Options of the strong-Wolfe search. */
export interface WolfeOptions {
  /** Sufficient-decrease constant c₁ (default 1e-4). */
  c1?: number;
  /** Curvature constant c₂ (default 0.9 for quasi-Newton; use 0.1 for nonlinear CG). */
  c2?: number;
  /** First trial step (default 1). */
  alpha0?: number;
  /** Largest step allowed (default 1e10). */
  alphaMax?: number;
  /** Maximum evaluations (default 40). */
  maxIter?: number;
}

/** Minimiser of the cubic interpolating φ and φ′ at a and b (Nocedal & Wright, eq. 3.59), or NaN. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Line search satisfying the strong Wolfe conditions f(x+αp) ≤ f + c₁α∇fᵀp and |∇f(x+αp)ᵀp| ≤ c₂|∇fᵀp|
 * (Nocedal & Wright, Algorithms 3.5 and 3.6, with cubic interpolation in the zoom phase).
 */
export function strongWolfe(
  obj: Objective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  p: Float64Array,
  options: WolfeOptions = {},
): LineSearchResult {
  return runSync(strongWolfe$(obj, x, fx, g, p, options), obj);
}

/** {@link strongWolfe} as a coroutine over evaluations (run synchronously or asynchronously). */
export function* strongWolfe$(
  obj: Objective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  p: Float64Array,
  options: WolfeOptions = {},
): Evaluations<LineSearchResult> {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const alphaMax = options.alphaMax ?? 1e10;
  const maxIter = options.maxIter ?? 40;
  const d0 = dot(g, p);
  const fail: LineSearchResult = { alpha: undefined, f: fx, g, x };
  // f's rounding level: a trial whose f stays within it of the sufficient-decrease bound passes that test
  // and is judged by its slope (Hager & Zhang 2005's approximate Wolfe conditions, for float32 objectives)
  const tolF = obj.valueSlack * Math.abs(fx);
  const tooHigh = (f: number, alpha: number) => f > fx + c1 * alpha * d0 + tolF;
  const notBelow = (f: number, ref: number) => (tolF === 0 ? f >= ref : f > ref + tolF);
  if (!(d0 < 0)) return fail;
  let evals = 0;
  function* phi(alpha: number) {
    evals++;
    const xa = axpy(new Float64Array(x.length), x, alpha, p);
    const [f, ga] = yield* obj.valueAndGrad$(xa);
    return { f, g: ga, d: dot(ga, p), x: xa };
  }

  function* zoom(
    lo: number,
    flo: number,
    dlo: number,
    hi: number,
    fhi: number,
    dhi: number,
  ): Evaluations<LineSearchResult> {
    while (evals < maxIter) {
      let a = cubicMin(lo, flo, dlo, hi, fhi, dhi);
      const left = Math.min(lo, hi);
      const width = Math.abs(hi - lo);
      // keep the trial well inside the bracket, else bisect
      if (!Number.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width)
        a = (lo + hi) / 2;
      if (width < 1e-16 * Math.max(1, Math.abs(lo))) break;
      const s = yield* phi(a);
      if (!Number.isFinite(s.f) || tooHigh(s.f, a) || notBelow(s.f, flo)) {
        hi = a;
        fhi = s.f;
        dhi = s.d;
      } else {
        if (Math.abs(s.d) <= -c2 * d0) return { alpha: a, f: s.f, g: s.g, x: s.x };
        if (s.d * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = a;
        flo = s.f;
        dlo = s.d;
      }
    }
    return fail;
  }

  let prev = 0;
  let fPrev = fx;
  let dPrev = d0;
  let alpha = Math.min(options.alpha0 ?? 1, alphaMax);
  for (let i = 0; evals < maxIter; i++) {
    const s = yield* phi(alpha);
    if (!Number.isFinite(s.f)) {
      // overshot into a non-finite region: shrink towards the last good step
      alpha = (prev + alpha) / 2;
      continue;
    }
    if (tooHigh(s.f, alpha) || (i > 0 && notBelow(s.f, fPrev)))
      return yield* zoom(prev, fPrev, dPrev, alpha, s.f, s.d);
    if (Math.abs(s.d) <= -c2 * d0) return { alpha, f: s.f, g: s.g, x: s.x };
    if (s.d >= 0) return yield* zoom(alpha, s.f, s.d, prev, fPrev, dPrev);
    // still descending at the largest allowed step (e.g. a bound in L-BFGS-B): take it, as MINPACK's dcsrch does
    if (alpha >= alphaMax) return { alpha, f: s.f, g: s.g, x: s.x };
    prev = alpha;
    fPrev = s.f;
    dPrev = s.d;
    alpha = Math.min(2 * alpha, alphaMax);
  }
  return fail;
}
