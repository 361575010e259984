import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  astype,
  assertNDArray,
  div,
  greater,
  matmul,
  mul,
  neg,
  sigmoid,
  square,
  sub,
  sum,
  transpose,
  zeros,
} from '@sciml/linalg';
import { softplus } from '@sciml/nn';

/**
 * Parameters of a restricted Boltzmann machine with `nv` visible and `nh` hidden units: weights `W` `[nv, nh]`,
 * visible bias `a` `[nv]`, hidden bias `b` `[nh]` — a pytree, so @sciml/optim optimisers update it.
 */
export type RbmParams = {
  /** Couplings Wᵢⱼ between visible i and hidden j, `[nv, nh]`. */
  W: NDArray;
  /** Visible biases (for Gaussian visible units: the means), `[nv]`. */
  a: NDArray;
  /** Hidden biases, `[nh]`. */
  b: NDArray;
};

/** The kind of visible units: binary {0, 1} or Gaussian with fixed width σ (hidden units are always binary). */
export interface RbmUnits {
  /** `'binary'` (default) or `'gaussian'`. */
  visible?: 'binary' | 'gaussian';
  /** σ of Gaussian visible units (default 1). */
  sigma?: number;
}

function sigmaOf(units: RbmUnits): number {
  const s = units.sigma ?? 1;
  if (!(s > 0) || !Number.isFinite(s))
    throw new ValueError('rbm', `sigma must be a positive number, got ${s}`);
  return s;
}

/** Checks that `v` is a `[batch, nv]` array matching the parameters. */
export function checkVisible(op: string, params: RbmParams, v: NDArray): void {
  assertNDArray(op, v, 'v');
  const nv = params.W.shape[0]!;
  if (v.ndim !== 2 || v.shape[1] !== nv)
    throw new ValueError(
      op,
      `v must be [batch, ${nv}] (one row per visible configuration), got [${v.shape.join(', ')}]`,
    );
}

/** Small random weights N(0, scale²) (default scale 0.01) and zero biases (Hinton 2012, "A practical guide", §8). */
export function initRbm(
  nVisible: number,
  nHidden: number,
  options: { rng: Generator; scale?: number },
): RbmParams {
  for (const [name, n] of [
    ['nVisible', nVisible],
    ['nHidden', nHidden],
  ] as const) {
    if (!Number.isInteger(n) || n < 1)
      throw new ValueError('initRbm', `${name} must be a positive integer, got ${n}`);
  }
  return {
    W: options.rng.normal([nVisible, nHidden], { std: options.scale ?? 0.01 }),
    a: zeros([nVisible]),
    b: zeros([nHidden]),
  };
}

/** Input to the hidden units, b + vW/σ² (σ = 1 for binary visible units), `[batch, nh]`. */
export function hiddenField(params: RbmParams, v: NDArray, units: RbmUnits = {}): NDArray {
  const s2 = units.visible === 'gaussian' ? sigmaOf(units) ** 2 : 1;
  const vw = matmul(v, params.W);
  return add(s2 === 1 ? vw : div(vw, s2), params.b);
}

/** p(hⱼ = 1 | v) = σ(bⱼ + Σᵢ vᵢWᵢⱼ/σ²). */
export function hiddenProbs(params: RbmParams, v: NDArray, units: RbmUnits = {}): NDArray {
  return sigmoid(hiddenField(params, v, units));
}

/** Mean of the visible units given h: σ(a + Wh) for binary units, a + Wh for Gaussian ones. */
export function visibleMean(params: RbmParams, h: NDArray, units: RbmUnits = {}): NDArray {
  const field = add(matmul(h, transpose(params.W)), params.a);
  return units.visible === 'gaussian' ? field : sigmoid(field);
}

/** Bernoulli draws with probabilities `p` (1 where u < p). */
export function bernoulli(p: NDArray, rng: Generator): NDArray {
  const u = rng.uniform(p.shape, { dtype: p.dtype as 'float64' | 'float32' });
  return astype(greater(p, u), p.dtype);
}

/** Draws h ~ p(h | v). */
export function sampleHidden(
  params: RbmParams,
  v: NDArray,
  rng: Generator,
  units: RbmUnits = {},
): NDArray {
  return bernoulli(hiddenProbs(params, v, units), rng);
}

/** Draws v ~ p(v | h): Bernoulli(σ(a + Wh)), or N(a + Wh, σ²) for Gaussian visible units. */
export function sampleVisible(
  params: RbmParams,
  h: NDArray,
  rng: Generator,
  units: RbmUnits = {},
): NDArray {
  const m = visibleMean(params, h, units);
  if (units.visible === 'gaussian') return add(m, rng.normal(m.shape, { std: sigmaOf(units) }));
  return bernoulli(m, rng);
}

/**
 * Free energy F(v) = −ln Σ_h e^{−E(v,h)} per row, `[batch]`: for binary visible units
 * F = −a·v − Σⱼ softplus(bⱼ + (vW)ⱼ); for Gaussian ones F = Σᵢ (vᵢ − aᵢ)²/(2σ²) − Σⱼ softplus(bⱼ + (vW)ⱼ/σ²).
 * So p(v) = e^{−F(v)}/Z.
 */
export function freeEnergy(params: RbmParams, v: NDArray, units: RbmUnits = {}): NDArray {
  checkVisible('freeEnergy', params, v);
  const hidden = sum(softplus(hiddenField(params, v, units)), { axis: 1 });
  if (units.visible === 'gaussian') {
    const s2 = sigmaOf(units) ** 2;
    return sub(div(sum(square(sub(v, params.a)), { axis: 1 }), 2 * s2), hidden);
  }
  return neg(add(sum(mul(v, params.a), { axis: 1 }), hidden));
}
