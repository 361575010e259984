/**
 * Variational Monte Carlo for the harmonic oscillator, with a Gaussian and with a neural-network (RBM) quantum
 * state (course notes 002, "Boltzmann machines", "VMC and neural quantum states").
 *
 * For H = −½ d²/dx² + ½x² and the trial function Ψ_α = e^(−αx²), the local energy is E_L = α + x²(½ − 2α²) and
 *   ⟨E⟩(α) = α/2 + 1/(8α),   Var E_L = (1 − 4α²)²/(32α²),
 * minimal (E = ½, zero variance) at α = ½ — the zero-variance principle. A restricted-Boltzmann-machine wave
 * function (Carleo & Troyer 2017, Science 355, 602) for two non-interacting particles in a 2-D trap learns the
 * ground state E = ω·D·P/2 = 2 by stochastic reconfiguration.
 */
import {
  gaussianWaveFunction,
  harmonicTrap,
  rbmWaveFunction,
  vmcEnergy,
  vmcOptimize,
} from '@sciml/generative';
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

/** An RBM wave function for 2 particles in 2-D, optimised by stochastic reconfiguration. */
export function rbmGroundState(
  options: { iterations?: number; samples?: number; seed?: number } = {},
) {
  const rng = new Generator(options.seed ?? 0);
  const wf = rbmWaveFunction({ nParticles: 2, dim: 2, nHidden: 2 });
  const sampling = { method: 'importance', stepSize: 0.5 } as const;
  const opt = vmcOptimize(wf, wf.init(rng, { scale: 0.1 }), harmonicTrap(), {
    rng,
    iterations: options.iterations ?? 40,
    samples: options.samples ?? 1000,
    lr: 0.2,
    sr: { shift: 1e-2 },
    ...sampling,
  });
  const final = vmcEnergy(wf, opt.theta, harmonicTrap(), { rng, samples: 8192, ...sampling });
  return {
    energies: opt.energies,
    energy: final.energy,
    error: final.error,
    variance: final.variance,
  };
}

export const example: Example = {
  name: 'vmc-harmonic-oscillator',
  title:
    'VMC of the harmonic oscillator: ⟨E⟩(α) = α/2 + 1/(8α), zero variance at α = ½; an RBM state learns E = 2',
  source:
    'course-notes/002 (Boltzmann machines, variational Monte Carlo, neural-network quantum states)',
  run() {
    const scan = alphaScan([0.3, 0.4, 0.5, 0.6, 0.8]);
    const rbm = rbmGroundState();
    const fine = Array.from({ length: 60 }, (_, i) => 0.25 + (i * 0.6) / 59);
    return {
      checks: [
        ...scan.map((r) => ({
          quantity: `⟨E⟩ at α = ${r.alpha}`,
          measured: r.energy,
          theory: gaussianEnergy(r.alpha),
          note: `± ${r.error.toExponential(1)} (blocking); Var E_L ${r.variance.toFixed(4)} vs ${gaussianVariance(r.alpha).toFixed(4)}`,
        })),
        {
          quantity: 'RBM state, 2 particles in 2-D: energy',
          measured: rbm.energy,
          theory: 2,
          note: `± ${rbm.error.toExponential(1)}; ω·D·P/2`,
        },
        {
          quantity: 'RBM state: variance of E_L',
          measured: rbm.variance,
          theory: 0,
          note: 'an eigenstate has none',
        },
      ],
      figure: panels('Variational Monte Carlo', [
        lineChart(
          [
            ...series('α/2 + 1/(8α)', fine, fine.map(gaussianEnergy)),
            ...series(
              'VMC',
              scan.map((r) => r.alpha),
              scan.map((r) => r.energy),
            ),
          ],
          {
            title: 'Gaussian trial function, 1-D oscillator',
            xTitle: 'α',
            yTitle: '⟨E⟩',
            pointSeries: ['VMC'],
          },
        ),
        lineChart(
          series(
            '⟨E⟩ per SR iteration',
            rbm.energies.map((_, k) => k),
            rbm.energies,
          ),
          {
            title: 'RBM quantum state: 2 particles, 2-D trap (exact 2)',
            xTitle: 'iteration',
            yTitle: 'energy',
          },
        ),
      ]),
    };
  },
};
