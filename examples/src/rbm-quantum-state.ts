/**
 * A neural-network quantum state: a Gaussian–binary restricted Boltzmann machine as the wave function of two
 * particles in a 2-D harmonic trap, trained by variational Monte Carlo with stochastic reconfiguration (course
 * notes 002, "Boltzmann machines", "VMC and neural quantum states"; Carleo & Troyer, Science 355 (2017) 602).
 *
 * With the hidden units summed out, Ψ(x) = exp(−Σᵢ (xᵢ − aᵢ)²/(2σ²)) Πⱼ (1 + exp(bⱼ + Σᵢ xᵢWᵢⱼ/σ²)). Without
 * interaction the ground state is the product of Gaussians, reached at a = 0, W = 0 with E = ω·D·P/2 = 2 and
 * zero variance of the local energy; `vmcOptimize` drives the RBM there from a random start. With the Coulomb
 * repulsion 1/r₁₂ the exact ground state (Taut, Phys. Rev. A 48 (1993) 3561) has E = 3; the RBM has no
 * electron–electron cusp (no Jastrow factor), so its variational energy stays a little above.
 */
import { harmonicTrap, rbmWaveFunction, vmcEnergy, vmcOptimize } from '@sciml/generative';
import { Generator } from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** An RBM wave function for 2 particles in a 2-D trap (ω = 1), optimised by stochastic reconfiguration. */
export function rbmGroundState(
  options: {
    iterations?: number;
    samples?: number;
    seed?: number;
    /** Add the Coulomb repulsion 1/r₁₂ (Taut's quantum dot, exact E = 3 at ω = 1). */
    coulomb?: boolean;
  } = {},
) {
  const rng = new Generator(options.seed ?? 0);
  const trap = harmonicTrap({ coulomb: options.coulomb ?? false });
  const wf = rbmWaveFunction({ nParticles: 2, dim: 2, nHidden: 2 });
  const sampling = { method: 'importance', stepSize: 0.5 } as const;
  const opt = vmcOptimize(wf, wf.init(rng, { scale: 0.1 }), trap, {
    rng,
    iterations: options.iterations ?? 40,
    samples: options.samples ?? 1000,
    lr: 0.2,
    sr: { shift: 1e-2 },
    ...sampling,
  });
  const final = vmcEnergy(wf, opt.theta, trap, { rng, samples: 8192, ...sampling });
  return {
    energies: opt.energies,
    energy: final.energy,
    error: final.error,
    variance: final.variance,
  };
}

export const example: Example = {
  name: 'rbm-quantum-state',
  title:
    'RBM quantum state: a Gaussian–binary RBM wave function for 2 particles in a 2-D trap learns E = 2 by VMC + SR',
  source: 'course-notes/002 (Boltzmann machines, VMC and neural-network quantum states)',
  run() {
    const rbm = rbmGroundState();
    const dot = rbmGroundState({ coulomb: true, iterations: 80, samples: 2000 });
    return {
      checks: [
        {
          quantity: 'energy, 2 particles in 2-D, ω = 1',
          measured: rbm.energy,
          theory: 2,
          note: `± ${rbm.error.toExponential(1)} (blocking); ω·D·P/2`,
        },
        {
          quantity: 'variance of the local energy',
          measured: rbm.variance,
          theory: 0,
          note: 'an eigenstate has none',
        },
        {
          quantity: 'energy at the random start',
          measured: rbm.energies[0]!,
          theory: Number.NaN,
          note: 'variational: above 2',
        },
        {
          quantity: 'with Coulomb repulsion (quantum dot): energy',
          measured: dot.energy,
          theory: 3,
          note: `± ${dot.error.toExponential(1)}; Taut 1993 exact; no cusp in the RBM, so above 3`,
        },
      ],
      figure: panels(
        'RBM quantum state, 2 particles in a 2-D trap (VMC + stochastic reconfiguration)',
        [
          lineChart(
            [
              ...series(
                '⟨E⟩ per SR iteration',
                rbm.energies.map((_, k) => k),
                rbm.energies,
              ),
              ...series('exact 2', [0, rbm.energies.length - 1], [2, 2]),
            ],
            { title: 'Non-interacting', xTitle: 'iteration', yTitle: 'energy' },
          ),
          lineChart(
            [
              ...series(
                '⟨E⟩ per SR iteration',
                dot.energies.map((_, k) => k),
                dot.energies,
              ),
              ...series('exact 3 (Taut)', [0, dot.energies.length - 1], [3, 3]),
            ],
            { title: 'With Coulomb repulsion', xTitle: 'iteration', yTitle: 'energy' },
          ),
        ],
      ),
    };
  },
};
