import { add, div, maximum, mul, sqrt, sub } from '@sciml/linalg';
import { DECAY, NON_NEGATIVE, POSITIVE, checkHyper } from './guards.js';
import { type CommonOptions, type GradientOptimizer, makeOptimizer } from './optimizer.js';

/** Adagrad (Duchi, Hazan & Singer 2011): G ← G + g², θ ← θ − η g / (√G + ε). */
export function adagrad(options: CommonOptions & { eps?: number }): GradientOptimizer {
  checkHyper('adagrad', 'eps', options.eps, POSITIVE);
  const eps = options.eps ?? 1e-10;
  return makeOptimizer('adagrad', options, {
    key: `adagrad ε=${eps}`,
    slots: ['sumSquares'],
    leaf: (p, g, [G], [lr]) => {
      const Gn = add(G!, mul(g, g));
      return { p: sub(p, mul(div(g, add(sqrt(Gn), eps)), lr!)), slots: [Gn] };
    },
  });
}

/** RMSprop (Tieleman & Hinton 2012): s ← ρs + (1 − ρ)g², θ ← θ − η g / (√s + ε). */
export function rmsprop(
  options: CommonOptions & { rho?: number; eps?: number },
): GradientOptimizer {
  checkHyper('rmsprop', 'rho', options.rho, DECAY);
  checkHyper('rmsprop', 'eps', options.eps, POSITIVE);
  const rho = options.rho ?? 0.9;
  const eps = options.eps ?? 1e-8;
  return makeOptimizer('rmsprop', options, {
    key: `rmsprop ρ=${rho} ε=${eps}`,
    slots: ['meanSquare'],
    leaf: (p, g, [s], [lr]) => {
      const sn = add(mul(s!, rho), mul(mul(g, g), 1 - rho));
      return { p: sub(p, mul(div(g, add(sqrt(sn), eps)), lr!)), slots: [sn] };
    },
  });
}

/** Options of the Adam family. */
export interface AdamOptions extends CommonOptions {
  /** Decay rate of the first-moment estimate β₁ (default 0.9). */
  beta1?: number;
  /** Decay rate of the second-moment estimate β₂ (default 0.999). */
  beta2?: number;
  /** ε added to √v̂ for numerical stability (default 1e-8). */
  eps?: number;
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − η m̂/(√v̂ + ε) with bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 */
export function adam(options: AdamOptions): GradientOptimizer {
  return adamFamily('adam', options, 0, false);
}

/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay θ ← θ − ηλθ. */
export function adamw(options: AdamOptions & { weightDecay?: number }): GradientOptimizer {
  checkHyper('adamw', 'weightDecay', options.weightDecay, NON_NEGATIVE);
  return adamFamily('adamw', options, options.weightDecay ?? 1e-2, false);
}

/** AMSGrad (Reddi, Kale & Kumar 2018): Adam with v̂ replaced by the running maximum of v. */
export function amsgrad(options: AdamOptions): GradientOptimizer {
  return adamFamily('amsgrad', options, 0, true);
}

function adamFamily(
  name: string,
  options: AdamOptions,
  weightDecay: number,
  amsgradMax: boolean,
): GradientOptimizer {
  checkHyper(name, 'beta1', options.beta1, DECAY);
  checkHyper(name, 'beta2', options.beta2, DECAY);
  checkHyper(name, 'eps', options.eps, POSITIVE);
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  return makeOptimizer(name, options, {
    key: `${name} β1=${b1} β2=${b2} ε=${eps} decay=${weightDecay !== 0} amsgrad=${amsgradMax}`,
    slots: amsgradMax ? ['m', 'v', 'vMax'] : ['m', 'v'],
    // the bias corrections 1 − βᵗ and the decay step ηλ, on the host in float64
    scalars: (lr, t) => [lr, 1 - b1 ** t, 1 - b2 ** t, lr * weightDecay],
    leaf: (p, g, [m, v, vMax], [lr, c1, c2, lrDecay]) => {
      const mn = add(mul(m!, b1), mul(g, 1 - b1));
      const vn = add(mul(v!, b2), mul(mul(g, g), 1 - b2));
      const vUse = amsgradMax ? maximum(vMax!, vn) : vn;
      const mHat = div(mn, c1!);
      const vHat = div(vUse, c2!);
      let pn = sub(p, mul(div(mHat, add(sqrt(vHat), eps)), lr!));
      if (weightDecay) pn = sub(pn, mul(p, lrDecay!));
      return { p: pn, slots: amsgradMax ? [mn, vn, vUse] : [mn, vn] };
    },
  });
}
