import { type Generator, ValueError } from '@sciml/linalg';
import { type WaveFunction, checkSystem } from './wave-function.js';

/** Options of {@link rbmWaveFunction}. */
export interface RbmWaveFunctionOptions {
  /** Number of particles P (default 2). */
  nParticles?: number;
  /** Spatial dimension D (default 2). */
  dim?: number;
  /** Number of binary hidden units N (default 2). */
  nHidden?: number;
  /** Width σ of the Gaussian visible units (default 1, the oscillator length for ω = 1). */
  sigma?: number;
}

const softplus = (u: number) => (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u)));
const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/**
 * A Gaussian–binary RBM as a neural-network quantum state (Carleo & Troyer 2017, Science 355, 602): the hidden
 * units are summed out, Ψ(x) = Σ_h e^{−E(x,h)} = exp(−Σᵢ (xᵢ − aᵢ)²/(2σ²)) Πⱼ (1 + exp(bⱼ + Σᵢ xᵢWᵢⱼ/σ²)), with
 * the M = P·D coordinates as visible units. θ = [a (M), b (N), W (M×N, row-major)].
 */
export function rbmWaveFunction(options: RbmWaveFunctionOptions = {}): WaveFunction & {
  /** Number of hidden units N. */
  readonly nHidden: number;
  /** Initial parameters: every entry N(0, scale²) (default scale 0.01), as in Carleo & Troyer. */
  init(rng: Generator, options?: { scale?: number }): Float64Array;
} {
  const nParticles = options.nParticles ?? 2;
  const dim = options.dim ?? 2;
  const N = options.nHidden ?? 2;
  const sigma = options.sigma ?? 1;
  checkSystem('rbmWaveFunction', nParticles, dim);
  if (!Number.isInteger(N) || N < 1)
    throw new ValueError('rbmWaveFunction', `nHidden must be a positive integer, got ${N}`);
  if (!(sigma > 0)) throw new ValueError('rbmWaveFunction', `sigma must be positive, got ${sigma}`);
  const M = nParticles * dim;
  const s2 = sigma * sigma;
  const inv2 = 1 / s2;
  const halfInv2 = 0.5 * inv2;
  const u = new Float64Array(N);
  const q = new Float64Array(N);
  // uⱼ = bⱼ + Σᵢ xᵢ Wᵢⱼ / σ²
  const hiddenField = (theta: Float64Array, r: Float64Array) => {
    for (let j = 0; j < N; j++) {
      let s = theta[M + j]!;
      for (let i = 0; i < M; i++) s += r[i]! * theta[M + N + i * N + j]! * inv2;
      u[j] = s;
    }
  };
  // qⱼ = sigmoid(uⱼ), the mean of hidden unit j given x: once per unit, not once per (unit, coordinate)
  const hiddenMeans = (theta: Float64Array, r: Float64Array) => {
    hiddenField(theta, r);
    for (let j = 0; j < N; j++) q[j] = sigmoid(u[j]!);
  };
  // ∂ ln Ψ/∂xᵢ = −(xᵢ − aᵢ)/σ² + Σⱼ Wᵢⱼ qⱼ/σ², from the current q
  const gradient = (theta: Float64Array, r: Float64Array, out: Float64Array) => {
    for (let i = 0; i < M; i++) {
      let g = theta[i]! - r[i]!;
      for (let j = 0; j < N; j++) g += theta[M + N + i * N + j]! * q[j]!;
      out[i] = g * inv2;
    }
  };
  // ∇² ln Ψ = −M/σ² + Σⱼ (Σᵢ Wᵢⱼ²) qⱼ(1 − qⱼ)/σ⁴, from the current q
  const laplacian = (theta: Float64Array) => {
    let lap = -M * inv2;
    for (let j = 0; j < N; j++) {
      let w2 = 0;
      for (let i = 0; i < M; i++) w2 += theta[M + N + i * N + j]! ** 2;
      lap += w2 * inv2 * inv2 * q[j]! * (1 - q[j]!);
    }
    return lap;
  };
  return {
    nParticles,
    dim,
    nParams: M + N + M * N,
    nHidden: N,
    init(rng, initOptions = {}) {
      const scale = initOptions.scale ?? 0.01;
      return Float64Array.from({ length: M + N + M * N }, () => scale * rng.nextNormal());
    },
    logPsi(theta, r) {
      hiddenField(theta, r);
      let s = 0;
      for (let i = 0; i < M; i++) {
        const d = r[i]! - theta[i]!;
        s -= d * d * halfInv2;
      }
      for (let j = 0; j < N; j++) s += softplus(u[j]!);
      return s;
    },
    gradLogPsi(theta, r, out) {
      hiddenMeans(theta, r);
      gradient(theta, r, out);
    },
    laplacianLogPsi(theta, r) {
      hiddenMeans(theta, r);
      return laplacian(theta);
    },
    gradLaplacianLogPsi(theta, r, grad) {
      hiddenMeans(theta, r);
      gradient(theta, r, grad);
      return laplacian(theta);
    },
    paramGradLogPsi(theta, r, out) {
      hiddenMeans(theta, r);
      for (let i = 0; i < M; i++) out[i] = (r[i]! - theta[i]!) * inv2;
      for (let j = 0; j < N; j++) out[M + j] = q[j]!;
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) out[M + N + i * N + j] = r[i]! * q[j]! * inv2;
      }
    },
  };
}
