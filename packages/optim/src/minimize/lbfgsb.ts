import { SingularMatrixError, ValueError, fromTypedArray, inv } from '@sciml/linalg';
import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';

/** Box bounds l ≤ x ≤ u; use ±Infinity (or omit a side) for unbounded variables. */
export interface Bounds {
  /** Lower bounds (default −∞). */
  lower?: ArrayLike<number>;
  /** Upper bounds (default +∞). */
  upper?: ArrayLike<number>;
}

/** Options of L-BFGS-B. */
export interface LbfgsbOptions extends MinimizeOptions {
  /** Box bounds. */
  bounds?: Bounds;
  /** Number of stored correction pairs m (default 10). */
  memory?: number;
}

/** The compact limited-memory matrix B = θI − W M Wᵀ, W = [Y θS] (Byrd, Nocedal & Schnabel 1994, eq. 3.2). */
interface Compact {
  theta: number;
  /** Rows w_i ∈ ℝ^{2k} of W, row-major n×2k. */
  W: Float64Array;
  /** M (2k×2k, row-major). */
  M: Float64Array;
  k2: number;
}

/** Resolves the bounds to two dense vectors and checks them; `op` names the public function in errors. */
export function resolveBounds(
  b: Bounds | undefined,
  n: number,
  op = 'minimize',
): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const hi = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (const [side, out] of [
    [b?.lower, lo],
    [b?.upper, hi],
  ] as const) {
    if (!side) continue;
    if (side.length !== n)
      throw new ValueError(op, `bounds have ${side.length} entries for ${n} variables`);
    for (let i = 0; i < n; i++) if (!Number.isNaN(side[i]!)) out[i] = side[i]!;
  }
  for (let i = 0; i < n; i++) {
    if (lo[i]! > hi[i]!)
      throw new ValueError(
        'minimize',
        `lower bound ${lo[i]} exceeds upper bound ${hi[i]} for variable ${i}`,
      );
  }
  return { lo, hi };
}

/** ‖P(x − g) − x‖∞, the first-order optimality measure for a box (zero exactly at KKT points). */
export function projectedGradientNorm(
  x: Float64Array,
  g: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const p = Math.min(hi[i]!, Math.max(lo[i]!, x[i]! - g[i]!));
    m = Math.max(m, Math.abs(p - x[i]!));
  }
  return m;
}

function buildCompact(S: Float64Array[], Y: Float64Array[], n: number): Compact | undefined {
  const k = S.length;
  const last = k - 1;
  const theta = k === 0 ? 1 : dot(Y[last]!, Y[last]!) / dot(S[last]!, Y[last]!);
  if (k === 0) return { theta, W: new Float64Array(0), M: new Float64Array(0), k2: 0 };
  const k2 = 2 * k;
  const W = new Float64Array(n * k2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      W[i * k2 + j] = Y[j]![i]!;
      W[i * k2 + k + j] = theta * S[j]![i]!;
    }
  }
  // M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] with D = diag(sᵢᵀyᵢ), L_ij = sᵢᵀy_j for i > j
  const Minv = new Float64Array(k2 * k2);
  for (let i = 0; i < k; i++) {
    Minv[i * k2 + i] = -dot(S[i]!, Y[i]!);
    for (let j = 0; j < k; j++) {
      if (i > j) {
        const l = dot(S[i]!, Y[j]!);
        Minv[(k + i) * k2 + j] = l;
        Minv[j * k2 + k + i] = l;
      }
      Minv[(k + i) * k2 + k + j] = theta * dot(S[i]!, S[j]!);
    }
  }
  try {
    return { theta, W, M: Float64Array.from(inv(fromTypedArray(Minv, [k2, k2])).dataSync()), k2 };
  } catch (e) {
    if (e instanceof SingularMatrixError) return undefined;
    throw e;
  }
}

/** y = M v. */
function mulM(B: Compact, v: Float64Array): Float64Array {
  const out = new Float64Array(B.k2);
  for (let i = 0; i < B.k2; i++) {
    let s = 0;
    for (let j = 0; j < B.k2; j++) s += B.M[i * B.k2 + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** Row w_i of W. */
const rowW = (B: Compact, i: number) => B.W.subarray(i * B.k2, (i + 1) * B.k2);

/**
 * The generalised Cauchy point: the first local minimiser of the quadratic model along the projected steepest-
 * descent path x(t) = P(x − tg), found by walking its breakpoints in order (Byrd, Lu, Nocedal & Zhu 1995,
 * Algorithm CP). Returns x^c and c = Wᵀ(x^c − x).
 */
function cauchyPoint(
  x: Float64Array,
  g: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  B: Compact,
) {
  const n = x.length;
  const tBreak = new Float64Array(n);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (g[i]! < 0) tBreak[i] = (x[i]! - hi[i]!) / g[i]!;
    else if (g[i]! > 0) tBreak[i] = (x[i]! - lo[i]!) / g[i]!;
    else tBreak[i] = Number.POSITIVE_INFINITY;
    d[i] = tBreak[i] === 0 ? 0 : -g[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => tBreak[i]! > 0 && Number.isFinite(tBreak[i]!))
    .sort((a, b) => tBreak[a]! - tBreak[b]!);
  let p = new Float64Array(B.k2);
  for (let i = 0; i < n; i++)
    if (d[i] !== 0) for (let j = 0; j < B.k2; j++) p[j]! += B.W[i * B.k2 + j]! * d[i]!;
  const c = new Float64Array(B.k2);
  let fp = -dot(d, d);
  let fpp = -B.theta * fp - dot(p, mulM(B, p));
  const eps = Number.EPSILON;
  fpp = Math.max(fpp, eps * Math.abs(fp));
  let dtMin = fpp > 0 ? -fp / fpp : Number.POSITIVE_INFINITY;
  let tOld = 0;
  const xc = x.slice();
  let next = 0;
  let dt = order.length > 0 ? tBreak[order[0]!]! : Number.POSITIVE_INFINITY;
  while (next < order.length && dtMin >= dt) {
    const b = order[next++]!;
    const t = tBreak[b]!;
    xc[b] = d[b]! > 0 ? hi[b]! : lo[b]!;
    const zb = xc[b]! - x[b]!;
    for (let j = 0; j < B.k2; j++) c[j]! += dt * p[j]!;
    const gb = g[b]!;
    const wb = rowW(B, b);
    const Mc = mulM(B, c);
    const Mp = mulM(B, p);
    const Mw = mulM(B, wb);
    fp += dt * fpp + gb * gb + B.theta * gb * zb - gb * dot(wb, Mc);
    fpp += -B.theta * gb * gb - 2 * gb * dot(wb, Mp) - gb * gb * dot(wb, Mw);
    fpp = Math.max(fpp, eps * Math.abs(fp));
    p = Float64Array.from(p, (v, j) => v + gb * wb[j]!);
    d[b] = 0;
    tOld = t;
    dtMin = fpp > 0 ? -fp / fpp : Number.POSITIVE_INFINITY;
    dt = next < order.length ? tBreak[order[next]!]! - tOld : Number.POSITIVE_INFINITY;
  }
  if (!Number.isFinite(dtMin)) dtMin = 0; // only when every variable reached a bound
  dtMin = Math.max(dtMin, 0);
  const tStar = tOld + dtMin;
  for (let i = 0; i < n; i++)
    if (d[i] !== 0) xc[i] = Math.min(hi[i]!, Math.max(lo[i]!, x[i]! + tStar * d[i]!));
  for (let j = 0; j < B.k2; j++) c[j]! += dtMin * p[j]!;
  return { xc, c };
}

/**
 * Subspace minimisation over the variables free at x^c (direct primal method, Byrd et al. 1995 §5.1, with the
 * Sherman–Morrison–Woodbury inverse of the reduced B), then the projection of Morales & Nocedal (2011): the
 * projected minimiser is used when it is a descent direction, else the step is cut back to the box.
 */
function subspaceMin(
  x: Float64Array,
  g: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  B: Compact,
  xc: Float64Array,
  c: Float64Array,
): Float64Array {
  const n = x.length;
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (xc[i]! > lo[i]! && xc[i]! < hi[i]!) free.push(i);
  if (free.length === 0) return xc;
  const Mc = mulM(B, c);
  const rc = free.map((i) => g[i]! + B.theta * (xc[i]! - x[i]!) - dot(rowW(B, i), Mc));
  const du = rc.map((v) => -v / B.theta);
  if (B.k2 > 0) {
    // v = M Wᵀ Z r^c;  N = I − (1/θ) M Wᵀ Z Zᵀ W;  d^u −= (1/θ²) Zᵀ W N⁻¹ v
    const wz = new Float64Array(B.k2);
    const WZZW = new Float64Array(B.k2 * B.k2);
    free.forEach((i, t) => {
      const w = rowW(B, i);
      for (let a = 0; a < B.k2; a++) {
        wz[a]! += w[a]! * rc[t]!;
        for (let b = 0; b < B.k2; b++) WZZW[a * B.k2 + b]! += w[a]! * w[b]!;
      }
    });
    const v = mulM(B, wz);
    const N = new Float64Array(B.k2 * B.k2);
    for (let a = 0; a < B.k2; a++) {
      for (let b = 0; b < B.k2; b++) {
        let s = 0;
        for (let q = 0; q < B.k2; q++) s += B.M[a * B.k2 + q]! * WZZW[q * B.k2 + b]!;
        N[a * B.k2 + b] = (a === b ? 1 : 0) - s / B.theta;
      }
    }
    const Ninv = inv(fromTypedArray(N, [B.k2, B.k2])).dataSync();
    const sol = new Float64Array(B.k2);
    for (let a = 0; a < B.k2; a++)
      for (let b = 0; b < B.k2; b++) sol[a]! += Ninv[a * B.k2 + b]! * v[b]!;
    free.forEach((i, t) => {
      du[t]! -= dot(rowW(B, i), sol) / (B.theta * B.theta);
    });
  }
  const projected = xc.slice();
  free.forEach((i, t) => {
    projected[i] = Math.min(hi[i]!, Math.max(lo[i]!, xc[i]! + du[t]!));
  });
  let slope = 0;
  for (let i = 0; i < n; i++) slope += (projected[i]! - x[i]!) * g[i]!;
  if (slope < 0) return projected;
  // backtrack: the largest α ≤ 1 keeping x^c + α d^u in the box (the original L-BFGS-B rule)
  let alpha = 1;
  free.forEach((i, t) => {
    const step = du[t]!;
    if (step > 0) alpha = Math.min(alpha, (hi[i]! - xc[i]!) / step);
    else if (step < 0) alpha = Math.min(alpha, (lo[i]! - xc[i]!) / step);
  });
  const out = xc.slice();
  free.forEach((i, t) => {
    out[i] = xc[i]! + alpha * du[t]!;
  });
  return out;
}

/**
 * L-BFGS-B for box-constrained minimisation (Byrd, Lu, Nocedal & Zhu 1995, SIAM J. Sci. Comput. 16(5); Zhu et
 * al. 1997, ACM TOMS 23(4); with the subspace projection of Morales & Nocedal 2011): each iteration finds the
 * generalised Cauchy point of the compact limited-memory model along the projected gradient path, minimises the
 * model over the variables left free, and searches along the resulting feasible direction with a strong-Wolfe
 * line search capped at the box. Stops when the projected gradient ‖P(x − ∇f) − x‖∞ ≤ gtol (a KKT point).
 */
export function* lbfgsb(
  obj: Objective,
  x0: Float64Array,
  options: LbfgsbOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  const m = options.memory ?? 10;
  const { lo, hi } = resolveBounds(options.bounds, n);
  let x = Float64Array.from(x0, (v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
  let [f, g] = yield* obj.valueAndGrad$(x);
  let S: Float64Array[] = [];
  let Y: Float64Array[] = [];
  const out = (nit: number, success: boolean, message: string): MethodOutcome => ({
    x,
    f,
    g,
    nit,
    success,
    message,
  });
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g)) return out(k, false, STOP.notFinite);
    if (projectedGradientNorm(x, g, lo, hi) <= r.gtol)
      return out(k, true, 'projected gradient norm below gtol');
    let B = buildCompact(S, Y, n);
    if (!B) {
      S = [];
      Y = [];
      B = buildCompact(S, Y, n)!;
    }
    const { xc, c } = cauchyPoint(x, g, lo, hi, B);
    const target = subspaceMin(x, g, lo, hi, B, xc, c);
    const d = Float64Array.from(target, (v, i) => v - x[i]!);
    if (!(dot(d, g) < 0)) {
      if (S.length > 0) {
        // a stale memory can spoil the direction: forget it and retry from the projected gradient
        S = [];
        Y = [];
        continue;
      }
      return out(k, false, STOP.lineSearch);
    }
    // the largest feasible step along d (≥ 1, since x + d lies in the box)
    let stpMax = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (d[i]! > 0) stpMax = Math.min(stpMax, (hi[i]! - x[i]!) / d[i]!);
      else if (d[i]! < 0) stpMax = Math.min(stpMax, (lo[i]! - x[i]!) / d[i]!);
    }
    let dNorm = 0;
    for (const v of d) dNorm = Math.max(dNorm, Math.abs(v));
    const alpha0 = S.length === 0 && k === 0 ? Math.min(1 / dNorm, stpMax) : Math.min(1, stpMax);
    const ls = yield* strongWolfe$(obj, x, f, g, d, {
      alpha0,
      alphaMax: Math.max(stpMax, alpha0),
      c2: 0.9,
    });
    if (ls.alpha === undefined || !ls.g) {
      if (S.length > 0) {
        S = [];
        Y = [];
        continue;
      }
      return out(k, false, STOP.lineSearch);
    }
    const xNew = Float64Array.from(ls.x, (v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
    const s = Float64Array.from(xNew, (v, i) => v - x[i]!);
    const y = Float64Array.from(ls.g, (v, i) => v - g[i]!);
    // keep the pair only with enough positive curvature (Byrd et al. 1995, §6: sᵀy > ε‖y‖²)
    if (dot(s, y) > Number.EPSILON * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
      }
      S.push(s);
      Y.push(y);
    }
    const xOld = x;
    const fOld = f;
    x = xNew;
    f = ls.f;
    g = ls.g;
    if (r.callback?.(x, f, k + 1) === true) return out(k + 1, true, 'stopped by callback');
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return out(k + 1, true, stop);
  }
  return out(r.maxIter, false, STOP.maxIter);
}
