import { type Generator, ValueError, array, solve } from '@sciml/linalg';
import { type BlockingResult, blocking } from './blocking.js';
import { type Hamiltonian, localEnergy } from './hamiltonian.js';
import { type VmcMethod, type Walker, metropolisWalker } from './sampler.js';
import { type WaveFunction, checkTheta } from './wave-function.js';

/** Options of {@link vmcEnergy}. */
export interface VmcOptions {
  /** Random generator. */
  rng: Generator;
  /** Sweeps whose local energy is recorded (default 10 000). */
  samples?: number;
  /** Sweeps discarded first to equilibrate (default 1 000). */
  burnIn?: number;
  /** Sampling method (default `'metropolis'`). */
  method?: VmcMethod;
  /** Box side or Δt, see {@link WalkerOptions} (default 1 / 0.05). */
  stepSize?: number;
  /** Continue an existing chain (its position carries over; `method`/`stepSize` are then ignored). */
  walker?: Walker;
  /** Also accumulate the energy gradient and, with `'sr'`, the overlap matrix S (default `'none'`). */
  gradient?: 'none' | 'gradient' | 'sr';
}

/** The result of {@link vmcEnergy}. */
export interface VmcResult {
  /** ⟨E_L⟩, the variational energy estimate. */
  energy: number;
  /** Statistical error of `energy` by automatic blocking. */
  error: number;
  /** Variance of the local energy ⟨E_L²⟩ − ⟨E_L⟩² (zero for an eigenstate). */
  variance: number;
  /** Blocking analysis of the local-energy series. */
  blocking: BlockingResult;
  /** Fraction of accepted moves. */
  acceptance: number;
  /** The recorded local energies, one per sweep. */
  localEnergies: Float64Array;
  /** ∂⟨E⟩/∂θ = 2(⟨E_L O⟩ − ⟨E_L⟩⟨O⟩), O = ∂ ln Ψ/∂θ (with `gradient`). */
  gradient?: Float64Array;
  /** S_kl = ⟨O_k O_l⟩ − ⟨O_k⟩⟨O_l⟩, row-major (with `gradient: 'sr'`). */
  overlap?: Float64Array;
  /** The chain, to continue sampling from where it stopped. */
  walker: Walker;
}

function count(op: string, name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min)
    throw new ValueError(op, `${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/**
 * Variational Monte Carlo: samples |Ψ_θ|² with a Metropolis walker and averages the local energy,
 * ⟨E⟩ ≈ (1/N) Σ E_L(Rᵢ) (McMillan 1965), with the error by blocking; optionally the energy gradient
 * 2(⟨E_L ∂ ln Ψ⟩ − ⟨E_L⟩⟨∂ ln Ψ⟩) and the stochastic-reconfiguration matrix (Sorella 1998).
 */
export function vmcEnergy(
  wf: WaveFunction,
  theta: Float64Array,
  hamiltonian: Hamiltonian,
  options: VmcOptions,
): VmcResult {
  checkTheta('vmcEnergy', wf, theta);
  const samples = count('vmcEnergy', 'samples', options.samples ?? 10_000, 4);
  const burnIn = count('vmcEnergy', 'burnIn', options.burnIn ?? 1000, 0);
  const mode = options.gradient ?? 'none';
  const walker =
    options.walker ??
    metropolisWalker(wf, {
      rng: options.rng,
      ...(options.method !== undefined ? { method: options.method } : {}),
      ...(options.stepSize !== undefined ? { stepSize: options.stepSize } : {}),
    });
  for (let s = 0; s < burnIn; s++) walker.sweep(theta);
  const K = wf.nParams;
  const eL = new Float64Array(samples);
  const o = new Float64Array(K);
  const sumO = new Float64Array(K);
  const sumEO = new Float64Array(K);
  const sumOO = mode === 'sr' ? new Float64Array(K * K) : undefined;
  const scratch = new Float64Array(wf.nParticles * wf.dim);
  let accepted = 0;
  let sumE = 0;
  let sumE2 = 0;
  for (let s = 0; s < samples; s++) {
    accepted += walker.sweep(theta);
    const e = localEnergy(wf, theta, hamiltonian, walker.r, scratch);
    if (!Number.isFinite(e))
      throw new ValueError(
        'vmcEnergy',
        `local energy is ${e} at sweep ${s}: the wave function or potential is singular there`,
      );
    eL[s] = e;
    sumE += e;
    sumE2 += e * e;
    if (mode !== 'none') {
      wf.paramGradLogPsi(theta, walker.r, o);
      for (let k = 0; k < K; k++) {
        sumO[k]! += o[k]!;
        sumEO[k]! += e * o[k]!;
      }
      if (sumOO) {
        for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) sumOO[k * K + l]! += o[k]! * o[l]!;
      }
    }
  }
  const energy = sumE / samples;
  const blocked = blocking(eL);
  const result: VmcResult = {
    energy,
    error: blocked.error,
    variance: Math.max(0, sumE2 / samples - energy * energy),
    blocking: blocked,
    acceptance: accepted / (samples * wf.nParticles),
    localEnergies: eL,
    walker,
  };
  if (mode !== 'none') {
    result.gradient = Float64Array.from(
      { length: K },
      (_, k) => 2 * (sumEO[k]! / samples - energy * (sumO[k]! / samples)),
    );
  }
  if (sumOO) {
    result.overlap = Float64Array.from({ length: K * K }, (_, kl) => {
      const k = Math.floor(kl / K);
      const l = kl % K;
      return sumOO[kl]! / samples - (sumO[k]! / samples) * (sumO[l]! / samples);
    });
  }
  return result;
}

/** Options of {@link vmcOptimize}. */
export interface VmcOptimizeOptions extends Omit<VmcOptions, 'gradient' | 'walker'> {
  /** Number of parameter updates (default 100). */
  iterations?: number;
  /** Learning rate η (default 0.1). */
  lr?: number;
  /**
   * Stochastic reconfiguration (Sorella 1998; the natural gradient of Carleo & Troyer 2017):
   * θ ← θ − η (S + εI)⁻¹ ∇E/2 with diagonal shift ε = `sr.shift` (default 1e-3). Off by default (plain
   * gradient descent θ ← θ − η ∇E).
   */
  sr?: { shift?: number } | false;
  /** Called after every iteration with its energy estimate; return `false` to stop. */
  onIteration?: (iteration: number, result: VmcResult, theta: Float64Array) => boolean | undefined;
}

/** What {@link vmcOptimize} returns. */
export interface VmcOptimizeResult {
  /** The optimised parameters. */
  theta: Float64Array;
  /** Energy estimate of every iteration (at the parameters before that iteration's update). */
  energies: number[];
  /** The chain, positioned at equilibrium for the final parameters' neighbourhood. */
  walker: Walker;
}

/**
 * Minimises the variational energy ⟨E_L⟩ over θ by stochastic gradient descent with the VMC gradient
 * 2(⟨E_L O⟩ − ⟨E_L⟩⟨O⟩), or by stochastic reconfiguration; the chain carries over between iterations, so only
 * the first needs a long burn-in.
 */
export function vmcOptimize(
  wf: WaveFunction,
  theta0: Float64Array,
  hamiltonian: Hamiltonian,
  options: VmcOptimizeOptions,
): VmcOptimizeResult {
  checkTheta('vmcOptimize', wf, theta0);
  const iterations = count('vmcOptimize', 'iterations', options.iterations ?? 100, 0);
  const lr = options.lr ?? 0.1;
  if (!(lr > 0)) throw new ValueError('vmcOptimize', `lr must be positive, got ${lr}`);
  const sr = options.sr ? { shift: options.sr.shift ?? 1e-3 } : undefined;
  const theta = Float64Array.from(theta0);
  const walker = metropolisWalker(wf, {
    rng: options.rng,
    ...(options.method !== undefined ? { method: options.method } : {}),
    ...(options.stepSize !== undefined ? { stepSize: options.stepSize } : {}),
  });
  const energies: number[] = [];
  const K = wf.nParams;
  for (let it = 0; it < iterations; it++) {
    const res = vmcEnergy(wf, theta, hamiltonian, {
      ...options,
      walker,
      burnIn: it === 0 ? (options.burnIn ?? 1000) : Math.min(100, options.burnIn ?? 100),
      gradient: sr ? 'sr' : 'gradient',
    });
    energies.push(res.energy);
    let step = res.gradient!;
    if (sr) {
      const S = Array.from({ length: K }, (_, k) =>
        Array.from({ length: K }, (_, l) => res.overlap![k * K + l]! + (k === l ? sr.shift : 0)),
      );
      const f = Array.from(res.gradient!, (g) => g / 2);
      step = Float64Array.from(solve(array(S), array(f)).dataSync() as Float64Array);
    }
    for (let k = 0; k < K; k++) theta[k]! -= lr * step[k]!;
    checkTheta('vmcOptimize', wf, theta);
    if (options.onIteration?.(it, res, theta) === false) break;
  }
  return { theta, energies, walker };
}
