import { type Generator, ValueError } from '@sciml/linalg';
import type { WaveFunction } from './wave-function.js';

/** How walkers move: plain Metropolis or importance sampling with the quantum-force drift. */
export type VmcMethod = 'metropolis' | 'importance';

/** Options of {@link metropolisWalker}. */
export interface WalkerOptions {
  /** Random generator. */
  rng: Generator;
  /**
   * `'metropolis'` (default): uniform box proposals of side `stepSize`; `'importance'`: Langevin proposals
   * y = x + ½Δt F(x) + √Δt ξ with the quantum force F = 2∇ ln Ψ and Δt = `stepSize`, accepted with the
   * Fokker–Planck Green's-function ratio.
   */
  method?: VmcMethod;
  /** Box side (metropolis, default 1) or time step Δt (importance, default 0.05). */
  stepSize?: number;
  /** Start position (default: N(0, 1) coordinates). */
  start?: Float64Array;
}

/** A Markov chain over positions R distributed as |Ψ_θ(R)|². */
export interface Walker {
  /** Current position (updated in place by `sweep`). */
  readonly r: Float64Array;
  /** One sweep: a proposed move of every particle in turn. Returns the number of accepted moves. */
  sweep(theta: Float64Array): number;
}

/**
 * A Metropolis–Hastings walker sampling |Ψ_θ(R)|² one particle move at a time (Metropolis et al. 1953); with
 * `method: 'importance'` the proposal follows the drift of the Fokker–Planck equation (Reynolds et al. 1982,
 * J. Chem. Phys. 77, 5593), which accepts far more moves at equal step.
 */
export function metropolisWalker(wf: WaveFunction, options: WalkerOptions): Walker {
  const method = options.method ?? 'metropolis';
  if (method !== 'metropolis' && method !== 'importance')
    throw new ValueError(
      'metropolisWalker',
      `method must be 'metropolis' or 'importance', got ${String(method)}`,
    );
  const step = options.stepSize ?? (method === 'metropolis' ? 1 : 0.05);
  if (!(step > 0) || !Number.isFinite(step))
    throw new ValueError('metropolisWalker', `stepSize must be a positive number, got ${step}`);
  const { rng } = options;
  const P = wf.nParticles;
  const D = wf.dim;
  const n = P * D;
  if (options.start !== undefined && options.start.length !== n)
    throw new ValueError(
      'metropolisWalker',
      `start must have P·D = ${n} coordinates, got ${options.start.length}`,
    );
  const r = options.start
    ? Float64Array.from(options.start)
    : Float64Array.from({ length: n }, () => rng.nextNormal());
  const trial = new Float64Array(n);
  const fOld = new Float64Array(n);
  const fNew = new Float64Array(n);
  // ln Ψ (and the drift) at the end of the last sweep, with the θ and R they belong to: the next sweep starts
  // there unless the caller changed θ (vmcOptimize updates it in place) or R in between
  const lastTheta = new Float64Array(wf.nParams);
  const lastR = new Float64Array(n);
  let lastLog = Number.NaN;
  const unchanged = (theta: Float64Array) => {
    if (Number.isNaN(lastLog) || theta.length !== lastTheta.length) return false;
    for (let k = 0; k < theta.length; k++) if (theta[k] !== lastTheta[k]) return false;
    for (let i = 0; i < n; i++) if (r[i] !== lastR[i]) return false;
    return true;
  };
  return {
    r,
    sweep(theta) {
      let accepted = 0;
      let logOld: number;
      if (unchanged(theta)) logOld = lastLog;
      else {
        logOld = wf.logPsi(theta, r);
        if (method === 'importance') wf.gradLogPsi(theta, r, fOld);
      }
      for (let p = 0; p < P; p++) {
        trial.set(r);
        if (method === 'metropolis') {
          for (let k = 0; k < D; k++)
            trial[p * D + k] = r[p * D + k]! + step * (rng.nextFloat() - 0.5);
          const logNew = wf.logPsi(theta, trial);
          if (rng.nextFloat() < Math.exp(2 * (logNew - logOld))) {
            r.set(trial);
            logOld = logNew;
            accepted++;
          }
        } else {
          const sq = Math.sqrt(step);
          // drift ½Δt·F with F = 2∇lnΨ is Δt·∇lnΨ
          for (let k = 0; k < D; k++) {
            const i = p * D + k;
            trial[i] = r[i]! + step * fOld[i]! + sq * rng.nextNormal();
          }
          const logNew = wf.logPsi(theta, trial);
          wf.gradLogPsi(theta, trial, fNew);
          // ln G(x|y) − ln G(y|x) for the moved particle, G(y|x) ∝ exp(−(y − x − Δt∇lnΨ(x))²/(2Δt))
          let logG = 0;
          for (let k = 0; k < D; k++) {
            const i = p * D + k;
            const fwd = trial[i]! - r[i]! - step * fOld[i]!;
            const bwd = r[i]! - trial[i]! - step * fNew[i]!;
            logG += (fwd * fwd - bwd * bwd) / (2 * step);
          }
          if (rng.nextFloat() < Math.exp(logG + 2 * (logNew - logOld))) {
            r.set(trial);
            fOld.set(fNew);
            logOld = logNew;
            accepted++;
          }
        }
      }
      lastTheta.set(theta);
      lastR.set(r);
      lastLog = logOld;
      return accepted;
    },
  };
}
