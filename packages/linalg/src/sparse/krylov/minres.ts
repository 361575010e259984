import type { NDArray } from '../../core/ndarray.js';
import { ValueError } from '../../core/errors.js';
import type { LinearMap } from '../operator.js';
import {
  type KrylovOptions,
  type KrylovResult,
  apply,
  dot,
  finish,
  norm,
  precondition,
  residual,
  setUp,
} from './common.js';

/**
 * MINRES for symmetric, possibly indefinite A (Paige & Saunders 1975, SIAM J. Numer. Anal. 12(4)): Lanczos
 * with a QR factorisation of the tridiagonal matrix by Givens rotations, minimising ‖b − A x‖ over the Krylov
 * space by short recurrences. The preconditioner must be symmetric positive definite. Follows the structure of
 * SciPy's `minres` (itself a port of Stanford SOL's MINRES).
 * @public
 */
export function minres(
  a: LinearMap | NDArray,
  b: NDArray | ArrayLike<number>,
  options: KrylovOptions = {},
): KrylovResult {
  const p = setUp('minres', a, b, options);
  const { n, x } = p;
  // the loop tests the recursive residual estimate; the true residual is checked before stopping, and a
  // preconditioned run whose M⁻¹-norm estimate undershoots tightens its target and continues
  let target = p.tol;
  let total = 0;
  for (let restart = 0; restart < 4; restart++) {
    const out = minresCycle(p, target, p.maxIter - total);
    total += out.iterations;
    if (out.breakdown) return finish(p, total, out.breakdown);
    const trueRes = norm(residual(p, x, new Float64Array(n)));
    if (trueRes <= p.tol || total >= p.maxIter) {
      return finish(
        p,
        total,
        `no convergence in ${p.maxIter} iterations (residual ${trueRes.toExponential(2)}); raise maxIter`,
      );
    }
    target = Math.min(target, out.estimate) * Math.max(0.01, (0.5 * p.tol) / trueRes);
  }
  return finish(
    p,
    total,
    'the residual estimate and the true residual disagree (ill-conditioned preconditioner)',
  );
}

function minresCycle(
  p: ReturnType<typeof setUp>,
  target: number,
  budget: number,
): { iterations: number; estimate: number; breakdown?: string } {
  const { n, x } = p;
  const eps = Number.EPSILON;
  let r1: Float64Array = residual(p, x, new Float64Array(n));
  let y: Float64Array = precondition(p, r1, new Float64Array(n));
  let beta1 = dot(r1, y);
  if (beta1 < 0)
    return { iterations: 0, estimate: 0, breakdown: 'the preconditioner is not positive definite' };
  if (beta1 === 0) return { iterations: 0, estimate: 0 };
  beta1 = Math.sqrt(beta1);
  let r2: Float64Array = r1.slice();
  let oldb = 0;
  let beta = beta1;
  let dbar = 0;
  let epsln = 0;
  let phibar = beta1;
  let cs = -1;
  let sn = 0;
  let w: Float64Array = new Float64Array(n);
  let w2: Float64Array = new Float64Array(n);
  let w1: Float64Array = new Float64Array(n);
  const v = new Float64Array(n);
  let Av: Float64Array = new Float64Array(n);
  for (let it = 1; it <= budget; it++) {
    const s = 1 / beta;
    for (let i = 0; i < n; i++) v[i] = s * y[i]!;
    apply(p, v, Av);
    if (it >= 2) for (let i = 0; i < n; i++) Av[i]! -= (beta / oldb) * r1[i]!;
    const alfa = dot(v, Av);
    for (let i = 0; i < n; i++) Av[i]! -= (alfa / beta) * r2[i]!;
    // rotate the Lanczos vectors: r1 ← r2, r2 ← A v − …, y ← M⁻¹ r2
    const spare = r1;
    r1 = r2;
    r2 = Av;
    Av = spare;
    y = precondition(p, r2, y);
    oldb = beta;
    const bb = dot(r2, y);
    if (bb < 0)
      return {
        iterations: it,
        estimate: phibar,
        breakdown: 'the preconditioner is not positive definite',
      };
    beta = Math.sqrt(bb);
    // apply the previous rotation, then build and apply the new one (QR of the Lanczos tridiagonal)
    const oldeps = epsln;
    const delta = cs * dbar + sn * alfa;
    const gbar = sn * dbar - cs * alfa;
    epsln = sn * beta;
    dbar = -cs * beta;
    const gamma = Math.max(Math.hypot(gbar, beta), eps);
    cs = gbar / gamma;
    sn = beta / gamma;
    const phi = cs * phibar;
    phibar = sn * phibar;
    // w_k = (v − ε w_{k−2} − δ w_{k−1}) / γ; x ← x + φ w_k
    const recycled = w1;
    w1 = w2;
    w2 = w;
    w = recycled;
    for (let i = 0; i < n; i++) {
      w[i] = (v[i]! - oldeps * w1[i]! - delta * w2[i]!) / gamma;
      x[i]! += phi * w[i]!;
    }
    p.callback?.(it, phibar);
    if (phibar <= target) return { iterations: it, estimate: phibar };
    if (beta === 0) return { iterations: it, estimate: phibar };
    if (!Number.isFinite(phibar))
      throw new ValueError('minres', 'non-finite residual estimate; check A and b for overflow');
  }
  return { iterations: budget, estimate: phibar };
}
