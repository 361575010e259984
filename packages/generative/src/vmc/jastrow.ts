import { ValueError } from '@sciml/linalg';
import { type WaveFunction, checkSystem } from './wave-function.js';

/** Options of {@link padeJastrow}. */
export interface PadeJastrowOptions {
  /** Number of particles P (default 2). */
  nParticles?: number;
  /** Spatial dimension D (default 2). */
  dim?: number;
  /**
   * Cusp coefficient a (default 1/(D − 1), Kato's cusp for two unit charges of opposite spin and reduced mass
   * ½, which makes the local energy finite at coalescence).
   */
  a?: number;
}

/**
 * The Padé–Jastrow correlation factor J(R) = exp(Σ_{i<j} a r_ij/(1 + β r_ij)), θ = [β] — multiply it onto a
 * trial state with {@link productWaveFunction} to describe the electron–electron cusp.
 */
export function padeJastrow(options: PadeJastrowOptions = {}): WaveFunction {
  const P = options.nParticles ?? 2;
  const D = options.dim ?? 2;
  checkSystem('padeJastrow', P, D);
  if (D < 2 && options.a === undefined)
    throw new ValueError(
      'padeJastrow',
      'in one dimension there is no default cusp: pass options.a',
    );
  const a = options.a ?? 1 / (D - 1);
  const pairs = (r: Float64Array, visit: (i: number, j: number, rij: number) => void) => {
    for (let i = 0; i < P; i++) {
      for (let j = i + 1; j < P; j++) {
        let s = 0;
        for (let k = 0; k < D; k++) s += (r[i * D + k]! - r[j * D + k]!) ** 2;
        visit(i, j, Math.sqrt(s));
      }
    }
  };
  return {
    nParticles: P,
    dim: D,
    nParams: 1,
    logPsi(theta, r) {
      const b = theta[0]!;
      let s = 0;
      pairs(r, (_i, _j, rij) => {
        s += (a * rij) / (1 + b * rij);
      });
      return s;
    },
    gradLogPsi(theta, r, out) {
      const b = theta[0]!;
      out.fill(0);
      pairs(r, (i, j, rij) => {
        if (rij === 0) return;
        // f'(r) = a/(1 + βr)², pushing the pair apart along r̂_ij
        const fp = a / (1 + b * rij) ** 2 / rij;
        for (let k = 0; k < D; k++) {
          const d = (r[i * D + k]! - r[j * D + k]!) * fp;
          out[i * D + k]! += d;
          out[j * D + k]! -= d;
        }
      });
    },
    laplacianLogPsi(theta, r) {
      const b = theta[0]!;
      let lap = 0;
      pairs(r, (_i, _j, rij) => {
        const q = 1 + b * rij;
        // ∇²f(r) = f'' + (D − 1) f'/r for each of the two particles
        lap += 2 * ((-2 * a * b) / q ** 3 + ((D - 1) * a) / (q * q * rij));
      });
      return lap;
    },
    paramGradLogPsi(theta, r, out) {
      const b = theta[0]!;
      let s = 0;
      pairs(r, (_i, _j, rij) => {
        s -= (a * rij * rij) / (1 + b * rij) ** 2;
      });
      out[0] = s;
    },
  };
}
