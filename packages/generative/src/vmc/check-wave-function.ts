import type { WaveFunction } from './wave-function.js';

/** Largest absolute differences found by {@link checkWaveFunction}. */
export interface WaveFunctionCheck {
  /** max |∂ ln Ψ/∂R − central difference|. */
  grad: number;
  /** |∇² ln Ψ − central second difference|. */
  laplacian: number;
  /** max |∂ ln Ψ/∂θ − central difference|. */
  params: number;
}

/**
 * Checks a {@link WaveFunction}'s analytic derivatives against central finite differences of its `logPsi` at
 * one point (step h, default 1e-4: errors O(h²) for first and second derivatives). Use it when writing a
 * new trial state: a wrong derivative biases the local energy without any other sign. A fused
 * `gradLaplacianLogPsi` is checked too (the larger difference of the two paths is reported).
 */
export function checkWaveFunction(
  wf: WaveFunction,
  theta: Float64Array,
  r: Float64Array,
  options: { h?: number } = {},
): WaveFunctionCheck {
  const h = options.h ?? 1e-4;
  const n = wf.nParticles * wf.dim;
  const g = new Float64Array(n);
  wf.gradLogPsi(theta, r, g);
  const x = Float64Array.from(r);
  const f0 = wf.logPsi(theta, x);
  let grad = 0;
  let lapFd = 0;
  for (let i = 0; i < n; i++) {
    x[i] = r[i]! + h;
    const fp = wf.logPsi(theta, x);
    x[i] = r[i]! - h;
    const fm = wf.logPsi(theta, x);
    x[i] = r[i]!;
    grad = Math.max(grad, Math.abs(g[i]! - (fp - fm) / (2 * h)));
    lapFd += (fp - 2 * f0 + fm) / (h * h);
  }
  const o = new Float64Array(wf.nParams);
  wf.paramGradLogPsi(theta, r, o);
  const t = Float64Array.from(theta);
  let params = 0;
  for (let k = 0; k < wf.nParams; k++) {
    t[k] = theta[k]! + h;
    const fp = wf.logPsi(t, r);
    t[k] = theta[k]! - h;
    const fm = wf.logPsi(t, r);
    t[k] = theta[k]!;
    params = Math.max(params, Math.abs(o[k]! - (fp - fm) / (2 * h)));
  }
  let laplacian = Math.abs(wf.laplacianLogPsi(theta, r) - lapFd);
  if (wf.gradLaplacianLogPsi) {
    const gf = new Float64Array(n);
    laplacian = Math.max(laplacian, Math.abs(wf.gradLaplacianLogPsi(theta, r, gf) - lapFd));
    for (let i = 0; i < n; i++) {
      x[i] = r[i]! + h;
      const fp = wf.logPsi(theta, x);
      x[i] = r[i]! - h;
      const fm = wf.logPsi(theta, x);
      x[i] = r[i]!;
      grad = Math.max(grad, Math.abs(gf[i]! - (fp - fm) / (2 * h)));
    }
  }
  return { grad, laplacian, params };
}
