import { ValueError } from '@sciml/linalg';

/**
 * A real, positive trial wave function Ψ_θ(R) of `nParticles` particles in `dim` dimensions, R flattened
 * particle-major (`R[p·dim + k]`). Parameters θ are a flat `Float64Array` of length `nParams`. Everything the
 * variational Monte Carlo estimators need is expressed through ln Ψ, which keeps products of factors additive:
 * the local energy needs ∇ ln Ψ and ∇² ln Ψ, the energy gradient needs ∂ ln Ψ/∂θ.
 */
export interface WaveFunction {
  /** Number of particles P. */
  readonly nParticles: number;
  /** Spatial dimension D. */
  readonly dim: number;
  /** Number of variational parameters. */
  readonly nParams: number;
  /** ln Ψ_θ(R). */
  logPsi(theta: Float64Array, r: Float64Array): number;
  /** Writes ∇_R ln Ψ_θ(R) (length P·D) into `out`. */
  gradLogPsi(theta: Float64Array, r: Float64Array, out: Float64Array): void;
  /** Σ over all coordinates of ∂² ln Ψ/∂R². */
  laplacianLogPsi(theta: Float64Array, r: Float64Array): number;
  /**
   * Optional fusion of the two above for the local energy: writes ∇_R ln Ψ into `grad` and returns ∇² ln Ψ, sharing
   * the work they have in common (an RBM's hidden layer). {@link localEnergy} uses it when present.
   */
  gradLaplacianLogPsi?(theta: Float64Array, r: Float64Array, grad: Float64Array): number;
  /** Writes O_k = ∂ ln Ψ/∂θ_k (length nParams) into `out`. */
  paramGradLogPsi(theta: Float64Array, r: Float64Array, out: Float64Array): void;
}

export function checkSystem(op: string, nParticles: number, dim: number): void {
  if (!Number.isInteger(nParticles) || nParticles < 1)
    throw new ValueError(op, `nParticles must be a positive integer, got ${nParticles}`);
  if (!Number.isInteger(dim) || dim < 1 || dim > 3)
    throw new ValueError(op, `dim must be 1, 2 or 3, got ${dim}`);
}

export function checkTheta(op: string, wf: WaveFunction, theta: Float64Array): void {
  if (!(theta instanceof Float64Array) || theta.length !== wf.nParams)
    throw new ValueError(
      op,
      `theta must be a Float64Array of length ${wf.nParams} (the wave function's nParams), got ${
        theta instanceof Float64Array ? `length ${theta.length}` : typeof theta
      }`,
    );
  for (let i = 0; i < theta.length; i++) {
    if (!Number.isFinite(theta[i]!))
      throw new ValueError(op, `theta[${i}] = ${theta[i]} is not finite: lower the learning rate`);
  }
}

/** ∇ ln Ψ into `grad` and ∇² ln Ψ returned, by the fused method when the wave function has one. */
export function gradLaplacian(
  wf: WaveFunction,
  theta: Float64Array,
  r: Float64Array,
  grad: Float64Array,
): number {
  if (wf.gradLaplacianLogPsi) return wf.gradLaplacianLogPsi(theta, r, grad);
  wf.gradLogPsi(theta, r, grad);
  return wf.laplacianLogPsi(theta, r);
}

/** Options of {@link gaussianWaveFunction}. */
export interface SystemOptions {
  /** Number of particles (default 1). */
  nParticles?: number;
  /** Spatial dimension (default 1). */
  dim?: number;
}

/**
 * The Gaussian trial function Ψ_α(R) = exp(−α Σᵢ rᵢ²), θ = [α] — exact for the harmonic oscillator
 * (ω = 1, ħ = m = 1) at α = ω/2, where the local energy is the constant D·P/2.
 */
export function gaussianWaveFunction(options: SystemOptions = {}): WaveFunction {
  const nParticles = options.nParticles ?? 1;
  const dim = options.dim ?? 1;
  checkSystem('gaussianWaveFunction', nParticles, dim);
  const n = nParticles * dim;
  const r2 = (r: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i]! * r[i]!;
    return s;
  };
  return {
    nParticles,
    dim,
    nParams: 1,
    logPsi: (theta, r) => -theta[0]! * r2(r),
    gradLogPsi: (theta, r, out) => {
      for (let i = 0; i < n; i++) out[i] = -2 * theta[0]! * r[i]!;
    },
    laplacianLogPsi: (theta) => -2 * theta[0]! * n,
    paramGradLogPsi: (_theta, r, out) => {
      out[0] = -r2(r);
    },
  };
}

/**
 * The product Ψ = Ψ₁Ψ₂ of two trial functions on the same particles (e.g. an RBM times a Jastrow factor);
 * θ is θ₁ followed by θ₂.
 */
export function productWaveFunction(a: WaveFunction, b: WaveFunction): WaveFunction {
  if (a.nParticles !== b.nParticles || a.dim !== b.dim)
    throw new ValueError(
      'productWaveFunction',
      `factors must describe the same system, got ${a.nParticles}×${a.dim}-D and ${b.nParticles}×${b.dim}-D`,
    );
  const n = a.nParticles * a.dim;
  const tmp = new Float64Array(n);
  const split = (theta: Float64Array) =>
    [theta.subarray(0, a.nParams), theta.subarray(a.nParams)] as const;
  return {
    nParticles: a.nParticles,
    dim: a.dim,
    nParams: a.nParams + b.nParams,
    logPsi: (theta, r) => {
      const [ta, tb] = split(theta);
      return a.logPsi(ta, r) + b.logPsi(tb, r);
    },
    gradLogPsi: (theta, r, out) => {
      const [ta, tb] = split(theta);
      a.gradLogPsi(ta, r, out);
      b.gradLogPsi(tb, r, tmp);
      for (let i = 0; i < n; i++) out[i]! += tmp[i]!;
    },
    laplacianLogPsi: (theta, r) => {
      const [ta, tb] = split(theta);
      return a.laplacianLogPsi(ta, r) + b.laplacianLogPsi(tb, r);
    },
    gradLaplacianLogPsi: (theta, r, grad) => {
      const [ta, tb] = split(theta);
      const lap = gradLaplacian(a, ta, r, grad) + gradLaplacian(b, tb, r, tmp);
      for (let i = 0; i < n; i++) grad[i]! += tmp[i]!;
      return lap;
    },
    paramGradLogPsi: (theta, r, out) => {
      const [ta, tb] = split(theta);
      a.paramGradLogPsi(ta, r, out.subarray(0, a.nParams));
      b.paramGradLogPsi(tb, r, out.subarray(a.nParams));
    },
  };
}
