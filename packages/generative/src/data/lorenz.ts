import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { Lorenz63, sdeint } from '@sciml/physics';

/** Options of {@link stochasticLorenz63}. */
export interface StochasticLorenz63Options {
  /** Number of recorded states. */
  n: number;
  /** Time between recorded states Δt (default 0.02). */
  dt?: number;
  /** Additive noise amplitude s of dU = f(U) dt + s dW, the same in each coordinate (default 2). */
  noise?: number;
  /** Euler–Maruyama steps per Δt (default 10). */
  substeps?: number;
  /** Time discarded first so that the chain is on the attractor (default 5). */
  burnIn?: number;
  /** Seed of the Brownian path (default 0). */
  seed?: number;
}

/**
 * A trajectory of the stochastically forced Lorenz-63 system dU = f(U) dt + s dW (Lorenz's σ = 10, ρ = 28,
 * β = 8/3; @sciml/physics' `Lorenz63` and `sdeint`, Euler–Maruyama), recorded every Δt: `[n, 3]`. Consecutive
 * rows are draws of the transition density P(u_{t+Δt} | u_t) that a probabilistic forecaster must learn.
 */
export function stochasticLorenz63(options: StochasticLorenz63Options): NDArray {
  const { n } = options;
  const dt = options.dt ?? 0.02;
  const noise = options.noise ?? 2;
  const substeps = options.substeps ?? 10;
  const burnIn = options.burnIn ?? 5;
  const op = 'stochasticLorenz63';
  if (!Number.isInteger(n) || n < 2) throw new ValueError(op, `n must be an integer ≥ 2, got ${n}`);
  if (!Number.isInteger(substeps) || substeps < 1)
    throw new ValueError(op, `substeps must be a positive integer, got ${substeps}`);
  for (const [name, v] of [
    ['dt', dt],
    ['burnIn', burnIn],
    ['noise', noise],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v) || (name === 'dt' && v === 0))
      throw new ValueError(
        op,
        `${name} must be a finite number ${name === 'dt' ? '> 0' : '≥ 0'}, got ${v}`,
      );
  }
  const h = dt / substeps;
  const skip = Math.ceil(burnIn / h);
  const steps = skip + (n - 1) * substeps;
  const lorenz = new Lorenz63();
  const sol = sdeint(
    lorenz.rhs,
    (_t, _y, g) => g.fill(noise),
    [0, steps * h],
    lorenz.initialState(),
    { dt: h, seed: options.seed ?? 0 },
  );
  const y = sol.y.dataSync() as Float64Array; // (3, nt)
  const nt = sol.y.shape[1]!;
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const col = Math.min(skip + i * substeps, nt - 1);
    for (let k = 0; k < 3; k++) out[i * 3 + k] = y[k * nt + col]!;
  }
  return fromTypedArray(out, [n, 3]);
}
