// Residual-based adaptive distribution (RAD): redraws collocation points with a density that follows the
// PDE residual, plus a uniform floor.
import {
  type Generator,
  type NDArray,
  ValueError,
  abs,
  fromTypedArray,
  sum,
  take,
} from '@sciml/linalg';
import { type Derivatives, type Field, derivativesAt } from './derivatives.js';

/** Options of {@link radResample}. @public */
export interface RadOptions {
  /** Exponent k of the residual in the density (default 1). */
  k?: number;
  /** Uniform floor c of the density (default 1; 0 samples by the residual alone). */
  c?: number;
  /** Generator of the draw. */
  rng: Generator;
}

/**
 * Residual-based adaptive distribution, RAD (Wu, Zhu, Tan, Kartha & Lu, CMAME 403 (2023) 115671, eq. 2):
 * draws `n` of the `candidates` without replacement with probability p(x) ∝ ε(x)^k / mean(ε^k) + c, where
 * ε = |N[u]| (summed over residual components). k = 0 or large c give uniform sampling; c = 0 samples by the
 * residual alone. Weighted sampling without replacement by Efraimidis–Spirakis keys u^(1/p).
 * @public
 */
export function radResample(
  u: Field,
  residual: (D: Derivatives) => NDArray,
  candidates: NDArray,
  n: number,
  options: RadOptions,
): NDArray {
  const op = 'radResample';
  const k = options.k ?? 1;
  const c = options.c ?? 1;
  const m = candidates.shape[0] ?? 0;
  if (candidates.ndim !== 2 || m === 0)
    throw new ValueError(
      op,
      `candidates must be a non-empty (m, dim) array, got [${candidates.shape.join(', ')}]`,
    );
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= m))
    throw new ValueError(
      op,
      `n must be an integer in [1, ${m}] (the number of candidates), got ${n}`,
    );
  if (!(k >= 0 && Number.isFinite(k) && c >= 0 && Number.isFinite(c)))
    throw new ValueError(op, `k and c must be finite and ≥ 0, got k = ${k}, c = ${c}`);
  if (options.rng === undefined)
    throw new ValueError(op, 'needs { rng: new Generator(seed) } for a reproducible draw');
  const r = sum(abs(residual(derivativesAt(u, candidates))), { axis: 1 }).dataSync();
  const p = new Float64Array(m);
  let meanPow = 0;
  for (let i = 0; i < m; i++) {
    p[i] = Math.abs(r[i]!) ** k;
    meanPow += p[i]! / m;
  }
  if (!Number.isFinite(meanPow))
    throw new ValueError(op, 'the residual is not finite at some candidates');
  for (let i = 0; i < m; i++) p[i] = (meanPow > 0 ? p[i]! / meanPow : 1) + c;
  // Efraimidis–Spirakis: the n largest keys log(u)/p are a weighted draw without replacement
  const keys = Array.from(p, (w) =>
    w > 0 ? Math.log(1 - options.rng.nextFloat()) / w : -Infinity,
  );
  const order = Array.from(keys.keys()).sort((a, b) => keys[b]! - keys[a]!);
  return take(candidates, fromTypedArray(Int32Array.from(order.slice(0, n)), [n]), 0);
}
