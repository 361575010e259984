import { add, mul, sub } from '@sciml/linalg';
import { DECAY, NON_NEGATIVE, checkHyper } from './guards.js';
import { type CommonOptions, type GradientOptimizer, makeOptimizer } from './optimizer.js';

/** Stochastic gradient descent θ ← θ − η g, with optional L2 weight decay (added to the gradient). */
export function sgd(options: CommonOptions & { weightDecay?: number }): GradientOptimizer {
  checkHyper('sgd', 'weightDecay', options.weightDecay, NON_NEGATIVE);
  const wd = options.weightDecay ?? 0;
  return makeOptimizer('sgd', options, {
    key: `sgd wd=${wd}`,
    slots: [],
    leaf: (p, g, _s, [lr]) => ({ p: sub(p, mul(wd ? add(g, mul(p, wd)) : g, lr!)), slots: [] }),
  });
}

/** Heavy-ball momentum (Polyak 1964): v ← μv + g, θ ← θ − ηv. */
export function momentum(options: CommonOptions & { momentum?: number }): GradientOptimizer {
  checkHyper('momentum', 'momentum', options.momentum, DECAY);
  const mu = options.momentum ?? 0.9;
  return makeOptimizer('momentum', options, {
    key: `momentum μ=${mu}`,
    slots: ['velocity'],
    leaf: (p, g, [v], [lr]) => {
      const vNew = add(mul(v!, mu), g);
      return { p: sub(p, mul(vNew, lr!)), slots: [vNew] };
    },
  });
}

/**
 * Nesterov accelerated gradient in the form of Sutskever et al. (2013): v ← μv + g, θ ← θ − η(g + μv).
 */
export function nesterov(options: CommonOptions & { momentum?: number }): GradientOptimizer {
  checkHyper('nesterov', 'momentum', options.momentum, DECAY);
  const mu = options.momentum ?? 0.9;
  return makeOptimizer('nesterov', options, {
    key: `nesterov μ=${mu}`,
    slots: ['velocity'],
    leaf: (p, g, [v], [lr]) => {
      const vNew = add(mul(v!, mu), g);
      return { p: sub(p, mul(add(g, mul(vNew, mu)), lr!)), slots: [vNew] };
    },
  });
}
