import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import type { LeastSquaresOptions, LeastSquaresResult, ResidualFn } from './least-squares.js';
import { standardErrors, trfCovariance } from './covariance.js';
import type { CsrMatrix, SparseMatrix } from '@sciml/linalg/sparse';
import { resolveBounds } from '../minimize/lbfgsb.js';
import { smallTrustRegion, steihaug } from '../minimize/trust-subproblems.js';
import { dot, norm2 } from '../vector.js';
import { type LossValues, type RobustLoss, evaluateLoss, robustScaling } from './loss.js';

/** A Jacobian as the TRF method consumes it: dense row-major or CSR. */
type Jac = { kind: 'dense'; data: Float64Array } | { kind: 'sparse'; csr: CsrMatrix };

/** Settings of {@link trf}. */
export interface TrfSettings {
  lower: Float64Array;
  upper: Float64Array;
  loss: RobustLoss;
  fScale: number;
  ftol: number;
  xtol: number;
  gtol: number;
  maxIter: number;
  /** Variable scales (the trust region is taken in x/xScale), or 'jac' for inverse Jacobian column norms. */
  xScale: Float64Array | 'jac';
}

/** What {@link trf} returns to `leastSquares`. */
export interface TrfOutcome {
  x: Float64Array;
  r: Float64Array;
  jac: NDArray | SparseMatrix;
  cost: number;
  grad: Float64Array;
  nit: number;
  nfev: number;
  njev: number;
  success: boolean;
  message: string;
  /** −1 / 0 / +1 per variable: at its lower bound, free, at its upper bound (within 1e-10 relative). */
  activeMask: Int8Array;
  /** The loss-scaled Jacobian S·J at the solution, dense row-major m×n (Gauss–Newton Hessian JᵀS²J). */
  scaledJac: Float64Array;
}

/** y = J x. */
function jMul(J: Jac, x: Float64Array, m: number, n: number): Float64Array {
  if (J.kind === 'sparse') return J.csr.matvec(x);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += J.data[i * n + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** y = Jᵀ v. */
function jtMul(J: Jac, v: Float64Array, m: number, n: number): Float64Array {
  if (J.kind === 'sparse') return J.csr.rmatvec(v);
  const y = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const vi = v[i]!;
    if (vi === 0) continue;
    for (let j = 0; j < n; j++) y[j]! += J.data[i * n + j]! * vi;
  }
  return y;
}

/** Coleman–Li scaling v (distance to the bound the anti-gradient points at, else 1) and its derivative dv. */
function colemanLi(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array) {
  const n = x.length;
  const v = new Float64Array(n).fill(1);
  const dv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (g[i]! < 0 && Number.isFinite(hi[i]!)) {
      v[i] = hi[i]! - x[i]!;
      dv[i] = -1;
    } else if (g[i]! > 0 && Number.isFinite(lo[i]!)) {
      v[i] = x[i]! - lo[i]!;
      dv[i] = 1;
    }
  }
  return { v, dv };
}

/** The largest t ≥ 0 with lo ≤ x + t·s ≤ hi, and which bounds it hits (±1). */
function stepToBound(x: Float64Array, s: Float64Array, lo: Float64Array, hi: Float64Array) {
  let t = Number.POSITIVE_INFINITY;
  const n = x.length;
  const ti = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    if (s[i]! > 0) ti[i] = (hi[i]! - x[i]!) / s[i]!;
    else if (s[i]! < 0) ti[i] = (lo[i]! - x[i]!) / s[i]!;
    t = Math.min(t, ti[i]!);
  }
  const hits = new Int8Array(n);
  for (let i = 0; i < n; i++) if (ti[i] === t && Number.isFinite(t)) hits[i] = s[i]! > 0 ? 1 : -1;
  return { t, hits };
}

/** Moves x strictly inside the box (SciPy's `make_strictly_feasible`). */
function strictlyFeasible(
  x: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  rstep: number,
): Float64Array {
  return x.map((v, i) => {
    const l = lo[i]!;
    const h = hi[i]!;
    if (v <= l) v = rstep === 0 ? nextUp(l) : l + rstep * Math.max(1, Math.abs(l));
    if (v >= h) v = rstep === 0 ? nextDown(h) : h - rstep * Math.max(1, Math.abs(h));
    if (!(v > l && v < h)) v = 0.5 * (l + h);
    return v;
  });
}

const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);
function nextUp(v: number): number {
  if (v === 0) return Number.MIN_VALUE;
  scratch[0] = v;
  bits[0] = bits[0]! + (v > 0 ? 1n : -1n);
  return scratch[0]!;
}
function nextDown(v: number): number {
  return -nextUp(-v);
}

/** min of a t² + b t + c over [lo, hi] (SciPy's `minimize_quadratic_1d`). */
function minQuadratic1d(a: number, b: number, c: number, lo: number, hi: number): [number, number] {
  const ts = [lo, hi];
  if (a !== 0) {
    const ext = (-0.5 * b) / a;
    if (ext > lo && ext < hi) ts.push(ext);
  }
  let best: [number, number] = [lo, Number.POSITIVE_INFINITY];
  for (const t of ts) {
    const val = a * t * t + b * t + c;
    if (val < best[1]) best = [t, val];
  }
  return best;
}

/** The residual/Jacobian evaluations TRF needs, counted by the caller. */
export interface TrfProblem {
  residual(x: Float64Array): Float64Array;
  jacobian(x: Float64Array): NDArray | SparseMatrix;
  counts(): { nfev: number; njev: number };
}

function toJac(J: NDArray | SparseMatrix, m: number, n: number): Jac {
  if ('format' in J && (J.format === 'csr' || J.format === 'csc' || J.format === 'coo')) {
    const csr = (J as SparseMatrix).toCsr();
    if (csr.shape[0] !== m || csr.shape[1] !== n)
      throw new ValueError(
        'leastSquares',
        `the Jacobian must have shape (${m}, ${n}), got (${csr.shape.join(', ')})`,
      );
    return { kind: 'sparse', csr };
  }
  const d = J as NDArray;
  if (d.ndim !== 2 || d.shape[0] !== m || d.shape[1] !== n)
    throw new ValueError(
      'leastSquares',
      `the Jacobian must have shape (${m}, ${n}), got (${d.shape.join(', ')})`,
    );
  return { kind: 'dense', data: Float64Array.from(d.dataSync() as ArrayLike<number>) };
}

/**
 * Trust-region reflective least squares (Branch, Coleman & Li 1999, SIAM J. Sci. Comput. 21(1); SciPy's
 * `least_squares(method='trf')`): min ½C²Σρ(rᵢ²/C²) subject to lo ≤ x ≤ hi. The bounds enter through the
 * Coleman–Li scaling D = diag(v^½), which turns the first-order conditions into a smooth system; each iteration
 * solves the scaled trust-region subproblem with the extra diagonal diag(g·dv) — exactly by eigendecomposition
 * for dense Jacobians, by Steihaug–CG from J and Jᵀ products for sparse ones — and then chooses, by model value,
 * among the step truncated strictly inside the box, its reflection off the first bound hit, and a Cauchy step
 * along the scaled anti-gradient. Robust losses enter by Triggs' rescaling of r and J (see `robustScaling`).
 */
export function trf(problem: TrfProblem, x0: Float64Array, s: TrfSettings): TrfOutcome {
  const { lower: lo, upper: hi } = s;
  const n = x0.length;
  let x = strictlyFeasible(x0, lo, hi, 1e-10);
  let r = problem.residual(x);
  const m = r.length;
  let lv: LossValues = evaluateLoss(s.loss, r, s.fScale);
  let cost = lv.cost;
  if (!Number.isFinite(cost))
    throw new ValueError('leastSquares', 'the residual at x0 is not finite');
  let Jraw = problem.jacobian(x);
  let J = toJac(Jraw, m, n);
  let scaling = robustScaling(r, lv);
  // g = Jᵀ(ρ′r): the exact gradient of the robust cost
  let g = jtMul(
    J,
    Float64Array.from(r, (ri, i) => lv.rho1[i]! * ri),
    m,
    n,
  );
  // scaleInv = 1/xScale; with 'jac' the running maximum of the column norms of S·J (Moré 1978)
  let scaleInv =
    s.xScale === 'jac'
      ? columnNorms(J, scaling.rowScale, m, n, undefined)
      : Float64Array.from(s.xScale, (c) => 1 / c);
  let delta = norm2(
    Float64Array.from(
      x0,
      (xi, i) => (xi * scaleInv[i]!) / Math.sqrt(colemanLi(x, g, lo, hi).v[i]!),
    ),
  );
  if (!(delta > 0) || !Number.isFinite(delta)) delta = 1;
  let nit = 0;
  let message = 'maximum number of iterations reached';
  let success = false;
  for (; nit < s.maxIter; nit++) {
    const { v, dv } = colemanLi(x, g, lo, hi);
    let gNorm = 0;
    for (let i = 0; i < n; i++) gNorm = Math.max(gNorm, Math.abs(g[i]! * v[i]!));
    if (gNorm < s.gtol) {
      message = 'scaled gradient norm below gtol';
      success = true;
      break;
    }
    const d = Float64Array.from(v, (vi, i) => Math.sqrt(vi) / scaleInv[i]!);
    const diagH = Float64Array.from(g, (gi, i) => gi * dv[i]!);
    const gH = Float64Array.from(g, (gi, i) => gi * d[i]!);
    const S2 = Float64Array.from(scaling.rowScale, (si) => si * si);
    // the scaled model Hessian Ĥ = D JᵀS²J D + diag(g·dv), as a product or (dense J) as a matrix
    const hvp = (p: Float64Array): Float64Array => {
      const Jp = jMul(
        J,
        Float64Array.from(p, (pi, i) => pi * d[i]!),
        m,
        n,
      );
      for (let i = 0; i < m; i++) Jp[i]! *= S2[i]!;
      const out = jtMul(J, Jp, m, n);
      for (let i = 0; i < n; i++) out[i] = d[i]! * out[i]! + diagH[i]! * p[i]!;
      return out;
    };
    const Hdense = J.kind === 'dense' ? denseModel(J.data, S2, d, diagH, m, n) : undefined;
    const model = (p: Float64Array) => dot(gH, p) + 0.5 * dot(p, hvp(p));
    const theta = Math.max(0.995, 1 - gNorm);
    let actual = -1;
    let stop: string | undefined;
    let xNew = x;
    let rNew = r;
    let lvNew = lv;
    while (actual <= 0 && nit < s.maxIter) {
      const pH = Hdense
        ? smallTrustRegion(Hdense, gH, delta).y
        : steihaug(hvp, gH, delta, 2 * n + 20).p;
      const chosen = selectStep(x, pH, d, gH, delta, theta, lo, hi, hvp, model);
      const stepNormH = norm2(chosen.stepH);
      xNew = strictlyFeasible(
        Float64Array.from(x, (xi, i) => xi + chosen.step[i]!),
        lo,
        hi,
        0,
      );
      rNew = problem.residual(xNew);
      lvNew = evaluateLoss(s.loss, rNew, s.fScale);
      if (!Number.isFinite(lvNew.cost)) {
        delta = 0.25 * stepNormH;
        nit++;
        continue;
      }
      actual = cost - lvNew.cost;
      const predicted = chosen.predicted;
      const ratio = predicted > 0 ? actual / predicted : predicted === 0 && actual === 0 ? 1 : 0;
      if (ratio < 0.25) delta = 0.25 * stepNormH;
      else if (ratio > 0.75 && stepNormH > 0.95 * delta) delta *= 2;
      const dx = norm2(Float64Array.from(xNew, (xi, i) => xi - x[i]!));
      if (Math.abs(actual) < s.ftol * cost && ratio > 0.25)
        stop = 'relative cost reduction below ftol';
      else if (dx < s.xtol * (s.xtol + norm2(x))) stop = 'step size below xtol';
      if (stop) break;
      if (actual <= 0) nit++;
    }
    if (actual > 0) {
      x = xNew;
      r = rNew;
      lv = lvNew;
      cost = lv.cost;
      Jraw = problem.jacobian(x);
      J = toJac(Jraw, m, n);
      scaling = robustScaling(r, lv);
      if (s.xScale === 'jac') scaleInv = columnNorms(J, scaling.rowScale, m, n, scaleInv);
      g = jtMul(
        J,
        Float64Array.from(r, (ri, i) => lv.rho1[i]! * ri),
        m,
        n,
      );
    }
    if (stop) {
      message = stop;
      success = true;
      nit++;
      break;
    }
  }
  const activeMask = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const tol = 1e-10 * Math.max(1, Math.abs(x[i]!));
    if (x[i]! - lo[i]! <= tol) activeMask[i] = -1;
    else if (hi[i]! - x[i]! <= tol) activeMask[i] = 1;
  }
  const { nfev, njev } = problem.counts();
  const scaledJac = denseScaled(J, scaling.rowScale, m, n);
  return {
    x,
    r,
    jac: Jraw,
    cost,
    grad: g,
    nit,
    nfev,
    njev,
    success,
    message,
    activeMask,
    scaledJac,
  };
}

/** Column norms of S·J, at least `floor` elementwise (a zero column counts as 1, as in SciPy). */
function columnNorms(
  J: Jac,
  rowScale: Float64Array,
  m: number,
  n: number,
  floor: Float64Array | undefined,
): Float64Array {
  const sq = new Float64Array(n);
  if (J.kind === 'sparse') {
    const { indptr, indices, data } = J.csr;
    for (let i = 0; i < m; i++)
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++)
        sq[indices[p]!]! += (rowScale[i]! * data[p]!) ** 2;
  } else {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) sq[j]! += (rowScale[i]! * J.data[i * n + j]!) ** 2;
  }
  return Float64Array.from(sq, (q, j) => {
    const c = q > 0 ? Math.sqrt(q) : 1;
    return floor ? Math.max(c, floor[j]!) : c;
  });
}

/** S·J as a dense row-major m×n array. */
function denseScaled(J: Jac, rowScale: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  if (J.kind === 'sparse') {
    const { indptr, indices, data } = J.csr;
    for (let i = 0; i < m; i++)
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++)
        out[i * n + indices[p]!]! += rowScale[i]! * data[p]!;
  } else {
    for (let i = 0; i < m * n; i++) out[i] = rowScale[Math.floor(i / n)]! * J.data[i]!;
  }
  return out;
}

/** Ĥ = D JᵀS²J D + diag(diagH), dense n×n. */
function denseModel(
  J: Float64Array,
  S2: Float64Array,
  d: Float64Array,
  diagH: Float64Array,
  m: number,
  n: number,
) {
  const H = new Float64Array(n * n);
  for (let k = 0; k < m; k++) {
    const w = S2[k]!;
    for (let i = 0; i < n; i++) {
      const a = J[k * n + i]! * w;
      if (a === 0) continue;
      for (let j = i; j < n; j++) H[i * n + j]! += a * J[k * n + j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const val = d[i]! * H[i * n + j]! * d[j]!;
      H[i * n + j] = val;
      H[j * n + i] = val;
    }
    H[i * n + i]! += diagH[i]!;
  }
  return H;
}

/**
 * SciPy's `select_step` for TRF: the full step when it stays inside the box; otherwise the best (by model value)
 * of the step truncated to θ of the way to the boundary, the reflection off that boundary, and the Cauchy step
 * along −ĝ, all strictly feasible.
 */
function selectStep(
  x: Float64Array,
  pH0: Float64Array,
  d: Float64Array,
  gH: Float64Array,
  delta: number,
  theta: number,
  lo: Float64Array,
  hi: Float64Array,
  hvp: (p: Float64Array) => Float64Array,
  model: (p: Float64Array) => number,
): { step: Float64Array; stepH: Float64Array; predicted: number } {
  const n = x.length;
  const p0 = Float64Array.from(pH0, (v, i) => v * d[i]!);
  let inside = true;
  for (let i = 0; i < n; i++) {
    const xi = x[i]! + p0[i]!;
    if (!(xi > lo[i]! && xi < hi[i]!)) inside = false;
  }
  if (inside) return { step: p0, stepH: pH0, predicted: -model(pH0) };
  const { t: pStride, hits } = stepToBound(x, p0, lo, hi);
  const rH = Float64Array.from(pH0, (v, i) => (hits[i] !== 0 ? -v : v));
  const rDir = Float64Array.from(rH, (v, i) => v * d[i]!);
  const pH = pH0.map((v) => v * pStride);
  const xOnBound = Float64Array.from(x, (xi, i) => xi + p0[i]! * pStride);
  // reflected step: from the boundary point along the reflection, inside both the box and the trust region
  const a2 = dot(rH, rH);
  const b2 = 2 * dot(pH, rH);
  const c2 = dot(pH, pH) - delta * delta;
  const toTr = a2 > 0 ? (-b2 + Math.sqrt(Math.max(0, b2 * b2 - 4 * a2 * c2))) / (2 * a2) : 0;
  const toBound = stepToBound(xOnBound, rDir, lo, hi).t;
  const rStride = Math.min(toBound, toTr);
  let rLo = 0;
  let rHi = -1;
  if (rStride > 0) {
    rLo = ((1 - theta) * pStride) / rStride;
    rHi = rStride === toBound ? theta * toBound : toTr;
  }
  let rValue = Number.POSITIVE_INFINITY;
  let rStepH = rH;
  if (rLo <= rHi) {
    const Hr = hvp(rH);
    const a = 0.5 * dot(rH, Hr);
    const b = dot(gH, rH) + dot(pH, Hr);
    const [t, val] = minQuadratic1d(a, b, model(pH), rLo, rHi);
    rStepH = Float64Array.from(rH, (v, i) => pH[i]! + t * v);
    rValue = val;
  }
  const pHi = pH.map((v) => v * theta);
  const pValue = model(pHi);
  // Cauchy step along the scaled anti-gradient
  const agH = gH.map((v) => -v);
  const ag = Float64Array.from(agH, (v, i) => v * d[i]!);
  const agToTr = delta / norm2(agH);
  const agToBound = stepToBound(x, ag, lo, hi).t;
  const agMax = agToBound < agToTr ? theta * agToBound : agToTr;
  const Hag = hvp(agH);
  const [agT, agValue] = minQuadratic1d(0.5 * dot(agH, Hag), dot(gH, agH), 0, 0, agMax);
  const agStepH = agH.map((v) => v * agT);
  const pick = (h: Float64Array, value: number) => ({
    stepH: h,
    step: Float64Array.from(h, (v, i) => v * d[i]!),
    predicted: -value,
  });
  if (pValue < rValue && pValue < agValue) return pick(pHi, pValue);
  if (rValue < pValue && rValue < agValue) return pick(rStepH, rValue);
  return pick(agStepH, agValue);
}

/** `leastSquares(…, { method: 'trf' })`: evaluation, counting and result packing around {@link trf}. */
export function leastSquaresTrf(
  residual: ResidualFn,
  start: Float64Array,
  options: LeastSquaresOptions,
  jacFn: (x: NDArray) => NDArray | SparseMatrix,
): LeastSquaresResult {
  const n = start.length;
  const { lo, hi } = resolveBounds(options.bounds, n, 'leastSquares');
  for (let i = 0; i < n; i++) {
    if (!(lo[i]! < hi[i]!))
      throw new ValueError(
        'leastSquares',
        `bounds of variable ${i} must satisfy lower < upper, got [${lo[i]}, ${hi[i]}]`,
      );
  }
  const xScale = resolveXScale(options.xScale, n);
  const fScale = options.fScale ?? 1;
  if (!(fScale > 0)) throw new ValueError('leastSquares', `fScale must be positive, got ${fScale}`);
  let nfev = 0;
  let njev = 0;
  const out = trf(
    {
      residual: (x) => {
        nfev++;
        return Float64Array.from(
          residual(fromTypedArray(x.slice())).dataSync() as ArrayLike<number>,
        );
      },
      jacobian: (x) => {
        njev++;
        return jacFn(fromTypedArray(x.slice()));
      },
      counts: () => ({ nfev, njev }),
    },
    start,
    {
      lower: lo,
      upper: hi,
      loss: options.loss ?? 'linear',
      fScale,
      ftol: options.ftol ?? 1e-12,
      xtol: options.xtol ?? 1e-12,
      gtol: options.gtol ?? 1e-12,
      maxIter: options.maxIter ?? 200,
      xScale,
    },
  );
  const covariance = trfCovariance(out.scaledJac, out.cost, out.r.length, n);
  return {
    x: fromTypedArray(out.x),
    cost: out.cost,
    fun: fromTypedArray(out.r),
    jac: out.jac,
    grad: fromTypedArray(out.grad),
    covariance,
    standardErrors: standardErrors(covariance),
    nit: out.nit,
    nfev: out.nfev,
    njev: out.njev,
    success: out.success && Number.isFinite(out.cost),
    message: out.message,
    activeMask: out.activeMask,
  };
}

function resolveXScale(xScale: LeastSquaresOptions['xScale'], n: number): Float64Array | 'jac' {
  if (xScale === undefined) return new Float64Array(n).fill(1);
  if (xScale === 'jac') return 'jac';
  if (typeof xScale === 'string' || xScale.length !== n)
    throw new ValueError(
      'leastSquares',
      `xScale must be 'jac' or ${n} positive scales, got ${typeof xScale === 'string' ? `'${xScale}'` : `${xScale.length} values`}`,
    );
  const out = Float64Array.from(xScale);
  if (!out.every((c) => c > 0 && Number.isFinite(c)))
    throw new ValueError('leastSquares', 'xScale entries must be positive and finite');
  return out;
}
