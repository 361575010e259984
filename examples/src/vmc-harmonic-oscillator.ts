/**
 * Variational Monte Carlo for the harmonic oscillator, with a Gaussian and with a neural-network (RBM) quantum
 * state (course notes 002, "Boltzmann machines", "VMC and neural quantum states").
 *
 * For H = −½ d²/dx² + ½x² and the trial function Ψ_α = e^(−αx²), the local energy is E_L = α + x²(½ − 2α²) and
 *   ⟨E⟩(α) = α/2 + 1/(8α),   Var E_L = (1 − 4α²)²/(32α²),
 * minimal (E = ½, zero variance) at α = ½ — the zero-variance principle. The neural-network (RBM) state is the
 * example rbm-quantum-state.
 */
import { gaussianWaveFunction, harmonicTrap, vmcEnergy } from '@sciml/generative';
import { Generator } from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** ⟨E⟩(α) = α/2 + 1/(8α) for Ψ_α = e^(−αx²), ω = 1. */
export const gaussianEnergy = (alpha: number) => alpha / 2 + 1 / (8 * alpha);
/** Var E_L(α) = (1 − 4α²)²/(32α²). */
export const gaussianVariance = (alpha: number) =>
  (1 - 4 * alpha * alpha) ** 2 / (32 * alpha * alpha);

/** VMC energies and variances of the Gaussian trial function over α. */
export function alphaScan(alphas: number[], samples = 20000, seed = 0) {
  const rng = new Generator(seed);
  return alphas.map((alpha) => {
    const r = vmcEnergy(gaussianWaveFunction(), Float64Array.of(alpha), harmonicTrap(), {
      rng,
      samples,
    });
    return { alpha, energy: r.energy, error: r.error, variance: r.variance };
  });
}

export const example: Example = {
  name: 'vmc-harmonic-oscillator',
  title:
    'VMC of the harmonic oscillator: ⟨E⟩(α) = α/2 + 1/(8α) and Var E_L = (1 − 4α²)²/(32α²), zero at α = ½',
  source: 'course-notes/002 (variational Monte Carlo)',
  run() {
    const scan = alphaScan([0.3, 0.4, 0.5, 0.6, 0.8]);
    const fine = Array.from({ length: 60 }, (_, i) => 0.25 + (i * 0.6) / 59);
    const alphas = scan.map((r) => r.alpha);
    return {
      checks: scan.map((r) => ({
        quantity: `⟨E⟩ at α = ${r.alpha}`,
        measured: r.energy,
        theory: gaussianEnergy(r.alpha),
        note: `± ${r.error.toExponential(1)} (blocking); Var E_L ${r.variance.toFixed(4)} vs ${gaussianVariance(r.alpha).toFixed(4)}`,
      })),
      remarks: [
        'the neural-network (RBM) quantum state of two particles is the example rbm-quantum-state',
      ],
      figure: panels('Variational Monte Carlo, Gaussian trial function, 1-D oscillator', [
        lineChart(
          [
            ...series('α/2 + 1/(8α)', fine, fine.map(gaussianEnergy)),
            ...series(
              'VMC',
              alphas,
              scan.map((r) => r.energy),
            ),
          ],
          { title: 'Energy', xTitle: 'α', yTitle: '⟨E⟩', pointSeries: ['VMC'] },
        ),
        lineChart(
          [
            ...series('(1 − 4α²)²/(32α²)', fine, fine.map(gaussianVariance)),
            ...series(
              'VMC',
              alphas,
              scan.map((r) => r.variance),
            ),
          ],
          {
            title: 'Variance of the local energy',
            xTitle: 'α',
            yTitle: 'Var E_L',
            pointSeries: ['VMC'],
          },
        ),
      ]),
    };
  },
};
