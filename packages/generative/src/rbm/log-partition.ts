import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  astype,
  div,
  greater,
  matmul,
  mean,
  mul,
  sigmoid,
  square,
  sub,
  sum,
  transpose,
  zeros,
} from '@sciml/linalg';
import { softplus } from '@sciml/nn';
import { type RbmParams, type RbmUnits, freeEnergy } from './rbm.js';

const MAX_ENUMERATION_BITS = 24;

const softplusNum = (u: number) => (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u)));

function logSumExp(values: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > m) m = v;
  let s = 0;
  for (const v of values) s += Math.exp(v - m);
  return m + Math.log(s);
}

/**
 * Exact ln Z of an RBM by summing over every configuration of the smaller binary layer (the other layer is
 * summed or integrated analytically): for binary visible units ln Z = ln Σ_h exp(b·h + Σᵢ softplus(aᵢ + (Wh)ᵢ))
 * (or the same over v); for Gaussian visible units ln Z = (nv/2) ln 2πσ² + ln Σ_h exp(b·h + (|a + Wh|² − |a|²)/(2σ²)).
 * Costs 2^min(nv, nh) (Gaussian: 2^nh) terms; refuses more than 2^24.
 */
export function rbmLogZ(params: RbmParams, units: RbmUnits = {}): number {
  const [nv, nh] = params.W.shape as [number, number];
  const W = params.W.dataSync() as Float64Array;
  const a = params.a.dataSync() as Float64Array;
  const b = params.b.dataSync() as Float64Array;
  const gaussian = units.visible === 'gaussian';
  const overHidden = gaussian || nh <= nv;
  const bits = overHidden ? nh : nv;
  if (bits > MAX_ENUMERATION_BITS)
    throw new ValueError(
      'rbmLogZ',
      `enumerating 2^${bits} configurations is too many (limit 2^${MAX_ENUMERATION_BITS}): estimate ln Z with aisLogZ`,
    );
  const terms = new Float64Array(2 ** bits);
  const s2 = (units.sigma ?? 1) ** 2;
  let a2 = 0;
  for (let i = 0; i < nv; i++) a2 += a[i]! * a[i]!;
  for (let c = 0; c < terms.length; c++) {
    let t = 0;
    if (overHidden) {
      for (let j = 0; j < nh; j++) if (c & (1 << j)) t += b[j]!;
      let sq = 0;
      for (let i = 0; i < nv; i++) {
        let f = a[i]!;
        for (let j = 0; j < nh; j++) if (c & (1 << j)) f += W[i * nh + j]!;
        if (gaussian) sq += f * f;
        else t += softplusNum(f);
      }
      if (gaussian) t += (sq - a2) / (2 * s2);
    } else {
      for (let i = 0; i < nv; i++) if (c & (1 << i)) t += a[i]!;
      for (let j = 0; j < nh; j++) {
        let f = b[j]!;
        for (let i = 0; i < nv; i++) if (c & (1 << i)) f += W[i * nh + j]!;
        t += softplusNum(f);
      }
    }
    terms[c] = t;
  }
  return logSumExp(terms) + (gaussian ? (nv / 2) * Math.log(2 * Math.PI * s2) : 0);
}

/** Mean log-likelihood (1/n) Σ ln p(vₙ) = −mean F(v) − ln Z of `data` `[n, nv]` under the RBM (ln Z exact or given). */
export function rbmLogLikelihood(
  params: RbmParams,
  data: NDArray,
  options: RbmUnits & { logZ?: number } = {},
): number {
  const logZ = options.logZ ?? rbmLogZ(params, options);
  return -mean(freeEnergy(params, data, options)).item() - logZ;
}

/** Options of {@link aisLogZ}. */
export interface AisOptions extends RbmUnits {
  /** Random generator. */
  rng: Generator;
  /** Independent AIS runs (default 100). */
  runs?: number;
  /** Inverse temperatures 0 = β₀ < … < β_K = 1: a count K for a uniform grid, or the grid (default 1000). */
  betas?: number | readonly number[];
  /**
   * Visible biases of the base model (binary units only; default zeros). The data's log-odds ln(p/(1 − p)) make
   * a better start (Salakhutdinov & Murray 2008, §4).
   */
  baseVisibleBias?: NDArray;
}

/** What {@link aisLogZ} returns. */
export interface AisResult {
  /** Estimate of ln Z: ln Z_A + ln mean exp(log-weights). */
  logZ: number;
  /** ln(mean w ∓ 3 sd(w)/√runs) − ln mean w + logZ, the bracket the paper reports (lower may be −∞). */
  bounds: [number, number];
  /** Effective sample size (Σw)²/Σw² of the weights. */
  ess: number;
  /** Log importance weight of every run. */
  logWeights: Float64Array;
}

function betaGrid(betas: number | readonly number[]): number[] {
  if (typeof betas === 'number') {
    if (!Number.isInteger(betas) || betas < 1)
      throw new ValueError('aisLogZ', `betas must be a positive integer, got ${betas}`);
    return Array.from({ length: betas + 1 }, (_, k) => k / betas);
  }
  if (
    betas.length < 2 ||
    betas[0] !== 0 ||
    betas.at(-1) !== 1 ||
    betas.some((b, i) => i > 0 && !(b > betas[i - 1]!))
  )
    throw new ValueError('aisLogZ', 'betas must increase strictly from 0 to 1');
  return [...betas];
}

/**
 * Annealed importance sampling of an RBM's ln Z (Neal 2001; for RBMs Salakhutdinov & Murray 2008, ICML):
 * runs anneal from a base model with W = 0 (whose Z_A is known) through p_β ∝ f_β, f_β(v) = e^{(1−β)a_A·v + βa·v}
 * Πⱼ (1 + e^{β(bⱼ + (vW)ⱼ)}), with one Gibbs transition per β, and accumulate ln w = Σₖ ln f_{βₖ}(v) − ln f_{βₖ₋₁}(v).
 * Z ≈ Z_A · mean w is unbiased; ln Z is biased low by the spread of the weights.
 */
export function aisLogZ(params: RbmParams, options: AisOptions): AisResult {
  const { rng } = options;
  const runs = options.runs ?? 100;
  if (!Number.isInteger(runs) || runs < 1)
    throw new ValueError('aisLogZ', `runs must be a positive integer, got ${runs}`);
  const grid = betaGrid(options.betas ?? 1000);
  const [nv, nh] = params.W.shape as [number, number];
  const gaussian = options.visible === 'gaussian';
  const sigma = options.sigma ?? 1;
  const s2 = sigma * sigma;
  const aA = options.baseVisibleBias ?? zeros([nv]);
  if (aA.shape.length !== 1 || aA.shape[0] !== nv)
    throw new ValueError(
      'aisLogZ',
      `baseVisibleBias must be [${nv}], got [${aA.shape.join(', ')}]`,
    );
  const field = (v: NDArray) =>
    add(gaussian ? div(matmul(v, params.W), s2) : matmul(v, params.W), params.b);
  // ln f_β(v) for every run, [runs]
  const logF = (v: NDArray, fld: NDArray, beta: number) => {
    const hidden = sum(softplus(mul(fld, beta)), { axis: 1 });
    if (gaussian) return sub(hidden, div(sum(square(sub(v, params.a)), { axis: 1 }), 2 * s2));
    const vis = sum(mul(v, add(mul(aA, 1 - beta), mul(params.a, beta))), { axis: 1 });
    return add(vis, hidden);
  };
  let v: NDArray = gaussian
    ? add(params.a, rng.normal([runs, nv], { std: sigma }))
    : astype(greater(sigmoid(aA), rng.uniform([runs, nv])), 'float64');
  let logw: NDArray = zeros([runs]);
  for (let k = 1; k < grid.length; k++) {
    const fld = field(v);
    logw = add(logw, sub(logF(v, fld, grid[k]!), logF(v, fld, grid[k - 1]!)));
    // one Gibbs sweep that leaves p_{βₖ} invariant
    const beta = grid[k]!;
    const h = astype(greater(sigmoid(mul(fld, beta)), rng.uniform([runs, nh])), 'float64');
    const back = matmul(h, transpose(params.W));
    if (gaussian) v = add(add(params.a, mul(back, beta)), rng.normal([runs, nv], { std: sigma }));
    else {
      const pv = sigmoid(add(add(mul(aA, 1 - beta), mul(params.a, beta)), mul(back, beta)));
      v = astype(greater(pv, rng.uniform([runs, nv])), 'float64');
    }
  }
  const aAd = aA.dataSync() as Float64Array;
  let logZA = nh * Math.LN2;
  if (gaussian) logZA += (nv / 2) * Math.log(2 * Math.PI * s2);
  else for (let i = 0; i < nv; i++) logZA += softplusNum(aAd[i]!);
  const lw = Float64Array.from(logw.dataSync() as Float64Array);
  const m = lw.reduce((x, y) => Math.max(x, y), Number.NEGATIVE_INFINITY);
  const w = Array.from(lw, (x) => Math.exp(x - m));
  const meanW = w.reduce((x, y) => x + y, 0) / runs;
  const sdW = Math.sqrt(w.reduce((x, y) => x + (y - meanW) ** 2, 0) / Math.max(1, runs - 1));
  const logZ = logZA + m + Math.log(meanW);
  const spread = (3 * sdW) / Math.sqrt(runs);
  return {
    logZ,
    bounds: [
      logZ + Math.log(Math.max(0, meanW - spread) / meanW),
      logZ + Math.log((meanW + spread) / meanW),
    ],
    ess: (meanW * runs) ** 2 / w.reduce((x, y) => x + y * y, 0),
    logWeights: lw,
  };
}
