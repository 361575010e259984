import { ValueError } from '@sciml/linalg';
import { type WaveFunction, gradLaplacian } from './wave-function.js';

/** A Hamiltonian H = −½ Σᵢ ∇ᵢ² + V(R) in units ħ = m = 1; only the potential varies. */
export interface Hamiltonian {
  /** V(R) for `nParticles` particles in `dim` dimensions, R flattened particle-major. */
  potential(r: Float64Array, nParticles: number, dim: number): number;
}

/** Options of {@link harmonicTrap}. */
export interface HarmonicTrapOptions {
  /** Trap frequency ω (default 1). */
  omega?: number;
  /** Add the Coulomb repulsion Σ_{i<j} 1/r_ij (default false). */
  coulomb?: boolean;
}

/**
 * Particles in an isotropic harmonic trap, V = ½ω² Σᵢ rᵢ² (+ Σ_{i<j} 1/r_ij with `coulomb`) — the quantum dot of
 * Taut 1993 (Phys. Rev. A 48, 3561), whose two-electron ground state in 2-D at ω = 1 has E = 3 exactly; without
 * interaction E = ω·D·P/2.
 */
export function harmonicTrap(options: HarmonicTrapOptions = {}): Hamiltonian {
  const omega = options.omega ?? 1;
  if (!(omega > 0) || !Number.isFinite(omega))
    throw new ValueError('harmonicTrap', `omega must be a positive finite number, got ${omega}`);
  const coulomb = options.coulomb ?? false;
  return {
    potential(r, P, D) {
      let v = 0;
      for (let i = 0; i < P * D; i++) v += r[i]! * r[i]!;
      v *= 0.5 * omega * omega;
      if (coulomb) {
        for (let i = 0; i < P; i++) {
          for (let j = i + 1; j < P; j++) {
            let s = 0;
            for (let k = 0; k < D; k++) s += (r[i * D + k]! - r[j * D + k]!) ** 2;
            v += 1 / Math.sqrt(s);
          }
        }
      }
      return v;
    },
  };
}

/**
 * The local energy E_L = (HΨ)/Ψ = −½ (∇² ln Ψ + |∇ ln Ψ|²) + V(R), whose average under |Ψ|² is the variational
 * energy and whose variance vanishes for an eigenstate (the zero-variance principle).
 */
export function localEnergy(
  wf: WaveFunction,
  theta: Float64Array,
  hamiltonian: Hamiltonian,
  r: Float64Array,
  scratch: Float64Array = new Float64Array(wf.nParticles * wf.dim),
): number {
  const lap = gradLaplacian(wf, theta, r, scratch);
  let g2 = 0;
  for (let i = 0; i < scratch.length; i++) g2 += scratch[i]! * scratch[i]!;
  return -0.5 * (lap + g2) + hamiltonian.potential(r, wf.nParticles, wf.dim);
}
