/**
 * Reference solutions of viscous Burgers' equation by the Cole–Hopf transformation u = −2ν φ_x/φ, which
 * turns it into the heat equation φ_t = ν φ_xx (E. Hopf 1950; J. D. Cole 1951).
 */
import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';

/**
 * The periodic solution from φ = a + e^(−νk²t) cos(kx) (a > 1):
 * u(x, t) = 2νk e^(−νk²t) sin(kx) / (a + e^(−νk²t) cos(kx)). A closed form for testing solvers.
 * @public
 */
export function burgersColeHopfPeriodic(x: number, t: number, nu: number, k = 1, a = 2): number {
  const e = Math.exp(-nu * k * k * t);
  return (2 * nu * k * e * Math.sin(k * x)) / (a + e * Math.cos(k * x));
}

/**
 * The reference solution of the PINN benchmark problem u_t + u u_x = ν u_xx on [−1, 1], u(x, 0) = −sin(πx),
 * u(±1, t) = 0 (Basdevant et al., Computers & Fluids 14 (1986) 23–41; Raissi, Perdikaris & Karniadakis,
 * J. Comput. Phys. 378 (2019) 686–707, with ν = 0.01/π), from the Cole–Hopf integral
 * u(x, t) = −∫ sin(π(x − η)) f(x − η) e^(−η²/4νt) dη / ∫ f(x − η) e^(−η²/4νt) dη, f(y) = e^(−cos(πy)/2πν),
 * evaluated by the trapezoidal rule in η = √(4νt) z (spectrally accurate for this smooth, rapidly decaying
 * integrand) with the exponents shifted by their maximum so that small ν neither overflows nor underflows.
 * Returns shape (nx, nt), like the method-of-lines solvers.
 * @public
 */
export function burgersReference(
  x: ArrayLike<number>,
  t: ArrayLike<number>,
  nu = 0.01 / Math.PI,
): NDArray {
  const op = 'burgersReference';
  if (!(nu > 0) || !Number.isFinite(nu))
    throw new ValueError(op, `nu must be positive and finite, got ${nu}`);
  const nx = x.length;
  const nt = t.length;
  const out = new Float64Array(nx * nt);
  const invTwoPiNu = 1 / (2 * Math.PI * nu);
  for (let j = 0; j < nt; j++) {
    const tj = t[j];
    if (!(tj >= 0) || !Number.isFinite(tj))
      throw new ValueError(op, `times must be finite and ≥ 0, got ${tj}`);
    if (tj === 0) {
      for (let i = 0; i < nx; i++) out[i * nt + j] = -Math.sin(Math.PI * x[i]);
      continue;
    }
    const s = Math.sqrt(4 * nu * tj);
    // the integrand's exponent −cos(π(x − s z))/(2πν) changes at rate ≤ π s/(2πν) per unit z: resolve it
    const rate = s * invTwoPiNu * Math.PI;
    // z beyond ±(√(1/πν) + 6) contributes < e^(−36) relative to the peak (the f factor gains at most 1/πν)
    const zMax = Math.sqrt(2 * invTwoPiNu) + 6;
    const dz = Math.min(0.05, 0.2 / Math.max(rate, 1e-12));
    const m = Math.ceil(zMax / dz);
    for (let i = 0; i < nx; i++) {
      const xi = x[i];
      let peak = Number.NEGATIVE_INFINITY;
      for (let q = -m; q <= m; q++) {
        const z = q * dz;
        const e = -Math.cos(Math.PI * (xi - s * z)) * invTwoPiNu - z * z;
        if (e > peak) peak = e;
      }
      let num = 0;
      let den = 0;
      for (let q = -m; q <= m; q++) {
        const z = q * dz;
        const y = xi - s * z;
        const w = Math.exp(-Math.cos(Math.PI * y) * invTwoPiNu - z * z - peak);
        num += Math.sin(Math.PI * y) * w;
        den += w;
      }
      out[i * nt + j] = -num / den;
    }
  }
  return fromTypedArray(out, [nx, nt]);
}
