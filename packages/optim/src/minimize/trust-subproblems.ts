import { SingularMatrixError, choSolve, cholesky, eigh, fromTypedArray } from '@sciml/linalg';
import { type Evaluations, runLocal } from '../objective.js';
import { dot, matVec, norm2 } from '../vector.js';

/** A trust-region step: p, whether it lies on the boundary, and the model change m(p) − m(0) = gᵀp + ½pᵀHp. */
export interface TrustStep {
  p: Float64Array;
  hitsBoundary: boolean;
  model: number;
}

/** τ ≥ 0 with ‖z + τd‖ = Δ. */
function toBoundary(z: Float64Array, d: Float64Array, delta: number): number {
  const a = dot(d, d);
  const b = 2 * dot(z, d);
  const c = dot(z, z) - delta * delta;
  return (-b + Math.sqrt(Math.max(0, b * b - 4 * a * c))) / (2 * a);
}

/**
 * Steihaug–Toint truncated CG for min gᵀp + ½pᵀHp, ‖p‖ ≤ Δ, from Hessian–vector products only (Steihaug 1983;
 * Nocedal & Wright, Algorithm 7.2): stops inside at relative residual min(0.5, √‖g‖), or on the boundary when
 * a step leaves the region or meets non-positive curvature. The model value follows from the CG residual
 * r = Hp + g as m(p) = ½(gᵀp + rᵀp), so no extra product is needed.
 */
export function steihaug(
  hessVec: (v: Float64Array) => Float64Array,
  g: Float64Array,
  delta: number,
  maxIter = 2 * g.length + 10,
): TrustStep {
  return runLocal(steihaug$(local(hessVec), g, delta, maxIter));
}

/** A host Hessian–vector product as a coroutine that asks for nothing. */
function local(hessVec: (v: Float64Array) => Float64Array): HessVecSteps {
  // biome-ignore lint/correctness/useYield: a coroutine that answers at once, for the shared code path
  return function* (v) {
    return hessVec(v);
  };
}

/** v ↦ ∇²f·v as a coroutine over evaluations (the product is requested, or computed on the host). */
export type HessVecSteps = (v: Float64Array) => Evaluations<Float64Array>;

/** {@link steihaug} as a coroutine: each product H·d is requested, so it may be computed on a GPU. */
export function* steihaug$(
  hessVec: HessVecSteps,
  g: Float64Array,
  delta: number,
  maxIter = 2 * g.length + 10,
): Evaluations<TrustStep> {
  const n = g.length;
  const z = new Float64Array(n);
  const r = g.slice();
  const d = Float64Array.from(g, (v) => -v);
  const gn = norm2(g);
  const eps = Math.min(0.5, Math.sqrt(gn)) * gn;
  const finish = (p: Float64Array, res: Float64Array, hitsBoundary: boolean): TrustStep => ({
    p,
    hitsBoundary,
    model: 0.5 * (dot(g, p) + dot(res, p)),
  });
  if (gn < eps || gn === 0) return finish(z, r, false);
  for (let j = 0; j < maxIter; j++) {
    const Hd = yield* hessVec(d);
    const dHd = dot(d, Hd);
    const rr = dot(r, r);
    const alpha = rr / dHd;
    if (dHd <= 0 || norm2(Float64Array.from(z, (v, i) => v + alpha * d[i]!)) >= delta) {
      const tau = toBoundary(z, d, delta);
      const p = Float64Array.from(z, (v, i) => v + tau * d[i]!);
      return finish(
        p,
        Float64Array.from(r, (v, i) => v + tau * Hd[i]!),
        true,
      );
    }
    for (let i = 0; i < n; i++) {
      z[i]! += alpha * d[i]!;
      r[i]! += alpha * Hd[i]!;
    }
    if (norm2(r) < eps) return finish(z, r, false);
    const beta = dot(r, r) / rr;
    for (let i = 0; i < n; i++) d[i] = -r[i]! + beta * d[i]!;
  }
  return finish(z, r, false);
}

/**
 * Exact solution of the small trust-region problem min bᵀy + ½yᵀTy, ‖y‖ ≤ Δ, by T's eigendecomposition and the
 * secular equation 1/‖y(λ)‖ = 1/Δ with y(λ) = −(T + λI)⁻¹b, λ ≥ max(0, −θ_min) (Moré & Sorensen 1983),
 * including the hard case (b ⟂ the lowest eigenvector), where the step is completed along that eigenvector.
 */
export function smallTrustRegion(
  T: Float64Array,
  b: Float64Array,
  delta: number,
): { y: Float64Array; hitsBoundary: boolean } {
  const k = b.length;
  const { values, vectors } = eigh(fromTypedArray(T.slice(), [k, k]));
  const theta = values.dataSync() as Float64Array;
  const U = vectors.dataSync() as Float64Array; // row-major, eigenvectors as columns
  const c = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let t = 0; t < k; t++) c[i]! += U[t * k + i]! * b[t]!;
  const stepNorm = (lambda: number) => {
    let s = 0;
    for (let i = 0; i < k; i++) s += (c[i]! / (theta[i]! + lambda)) ** 2;
    return Math.sqrt(s);
  };
  const assemble = (coef: Float64Array) => {
    const y = new Float64Array(k);
    for (let t = 0; t < k; t++) for (let i = 0; i < k; i++) y[t]! += U[t * k + i]! * coef[i]!;
    return y;
  };
  const thetaMin = theta[0]!;
  if (thetaMin > 0 && stepNorm(0) <= delta) {
    return { y: assemble(Float64Array.from(c, (ci, i) => -ci / theta[i]!)), hitsBoundary: false };
  }
  const scale = Math.max(1, ...Array.from(theta, Math.abs));
  let lo = Math.max(0, -thetaMin);
  const cNorm = norm2(c);
  let hi = lo + cNorm / delta + scale;
  const floor = lo;
  // hard case: even just above −θ_min the step (without the lowest eigen-direction) stays inside
  const nearly = Math.abs(c[0]!) <= 1e-12 * cNorm;
  if (nearly) {
    const coef = Float64Array.from(c, (ci, i) => (i === 0 ? 0 : -ci / (theta[i]! + floor)));
    const inside = norm2(coef);
    if (inside <= delta) {
      coef[0] = Math.sqrt(delta * delta - inside * inside);
      return { y: assemble(coef), hitsBoundary: true };
    }
  }
  // safeguarded Newton on φ(λ) = 1/‖y(λ)‖ − 1/Δ, which is concave and increasing on (−θ_min, ∞)
  let lambda = hi;
  for (let it = 0; it < 200; it++) {
    const s = stepNorm(lambda);
    const phi = 1 / s - 1 / delta;
    if (Math.abs(phi) * delta < 1e-12) break;
    if (phi > 0) hi = lambda;
    else lo = lambda;
    let ds = 0; // d‖y‖²/dλ = −2Σ c²/(θ+λ)³
    for (let i = 0; i < k; i++) ds += c[i]! ** 2 / (theta[i]! + lambda) ** 3;
    const dphi = ds / s ** 3;
    let next = lambda - phi / dphi;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (hi - lo <= 1e-15 * Math.max(1, hi)) break;
    lambda = next;
  }
  return {
    y: assemble(Float64Array.from(c, (ci, i) => -ci / (theta[i]! + lambda))),
    hitsBoundary: true,
  };
}

/**
 * Generalised Lanczos trust-region step (GLTR; Gould, Lucidi, Roma & Toint 1999, SIAM J. Optim. 9(2); SciPy's
 * `trust-krylov`): Lanczos on H from g builds Q_k and the tridiagonal T_k = Q_kᵀHQ_k; the trust-region problem
 * restricted to the Krylov space, min ‖g‖e₁ᵀy + ½yᵀT_k y over ‖y‖ ≤ Δ, is solved exactly at each step (by
 * {@link smallTrustRegion}, in place of GLTR's tridiagonal factorisation updates — the same minimiser, at O(k³)
 * per step, cheap for the k ≲ 100 the inner loop takes), until the residual β_k|e_kᵀy| falls below the
 * inexact-Newton tolerance min(0.5, √‖g‖)‖g‖. Unlike Steihaug–CG it keeps improving along the boundary after
 * negative curvature appears.
 */
export function lanczosTrustRegion(
  hessVec: (v: Float64Array) => Float64Array,
  g: Float64Array,
  delta: number,
  maxIter = Math.min(g.length, 200),
): TrustStep {
  return runLocal(lanczosTrustRegion$(local(hessVec), g, delta, maxIter));
}

/** {@link lanczosTrustRegion} as a coroutine: each product H·q is requested, so it may be computed on a GPU. */
export function* lanczosTrustRegion$(
  hessVec: HessVecSteps,
  g: Float64Array,
  delta: number,
  maxIter = Math.min(g.length, 200),
): Evaluations<TrustStep> {
  const n = g.length;
  const gn = norm2(g);
  if (gn === 0) return { p: new Float64Array(n), hitsBoundary: false, model: 0 };
  const tol = Math.min(0.5, Math.sqrt(gn)) * gn;
  const Q: Float64Array[] = [Float64Array.from(g, (v) => v / gn)];
  const alphas: number[] = [];
  const betas: number[] = [];
  let y: Float64Array = new Float64Array(1);
  let hitsBoundary = false;
  for (let k = 0; k < maxIter; k++) {
    const w = yield* hessVec(Q[k]!); // a fresh vector: Lanczos updates it in place
    if (k > 0) for (let i = 0; i < n; i++) w[i]! -= betas[k - 1]! * Q[k - 1]![i]!;
    const a = dot(Q[k]!, w);
    alphas.push(a);
    for (let i = 0; i < n; i++) w[i]! -= a * Q[k]![i]!;
    // full reorthogonalisation keeps Q orthonormal, so T stays the projection of H
    for (const q of Q) {
      const h = dot(q, w);
      for (let i = 0; i < n; i++) w[i]! -= h * q[i]!;
    }
    const beta = norm2(w);
    const m = k + 1;
    const T = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      T[i * m + i] = alphas[i]!;
      if (i + 1 < m) {
        T[i * m + i + 1] = betas[i]!;
        T[(i + 1) * m + i] = betas[i]!;
      }
    }
    const b = new Float64Array(m);
    b[0] = gn;
    ({ y, hitsBoundary } = smallTrustRegion(T, b, delta));
    if (beta * Math.abs(y[m - 1]!) <= tol || beta <= 1e-14 * gn || m === n) break;
    betas.push(beta);
    Q.push(Float64Array.from(w, (v) => v / beta));
  }
  const m = y.length;
  const p = new Float64Array(n);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) p[i]! += y[j]! * Q[j]![i]!;
  // model in Krylov coordinates: gn·y₀ + ½ yᵀT y
  let quad = 0;
  for (let i = 0; i < m; i++) {
    quad += alphas[i]! * y[i]! * y[i]!;
    if (i + 1 < m) quad += 2 * betas[i]! * y[i]! * y[i + 1]!;
  }
  return { p, hitsBoundary, model: gn * y[0]! + 0.5 * quad };
}

/**
 * Powell's dogleg step (Nocedal & Wright, §4.1): the Newton step −H⁻¹g when it fits, else the path from the
 * Cauchy point −(gᵀg/gᵀHg)g towards it, cut at the boundary, for the symmetric part of H. Needs it positive definite (a Cholesky failure is a
 * SingularMatrixError, reported by the method).
 */
export function doglegStep(Hin: Float64Array, g: Float64Array, delta: number): TrustStep {
  const n = g.length;
  const H = symmetricPart(Hin, n);
  const L = cholesky(fromTypedArray(H.slice(), [n, n]));
  const pB = Float64Array.from(
    choSolve(L, fromTypedArray(Float64Array.from(g, (v) => -v))).dataSync(),
  );
  const Hp = new Float64Array(n);
  const model = (p: Float64Array) => dot(g, p) + 0.5 * dot(p, matVec(H, p, n, Hp));
  if (norm2(pB) <= delta) return { p: pB, hitsBoundary: false, model: model(pB) };
  const gHg = dot(g, matVec(H, g, n, Hp));
  if (!(gHg > 0))
    throw new SingularMatrixError(
      'dogleg',
      'the Hessian is not positive definite along the gradient',
    );
  const pU = Float64Array.from(g, (v) => (-dot(g, g) / gHg) * v);
  const uNorm = norm2(pU);
  if (uNorm >= delta) {
    const p = pU.map((v) => (delta / uNorm) * v);
    return { p, hitsBoundary: true, model: model(p) };
  }
  const d = Float64Array.from(pB, (v, i) => v - pU[i]!);
  const tau = toBoundary(pU, d, delta);
  const p = Float64Array.from(pU, (v, i) => v + tau * d[i]!);
  return { p, hitsBoundary: true, model: model(p) };
}

/**
 * (H + Hᵀ)/2: a Hessian computed in float32 (on a GPU) is symmetric only to rounding, and cholesky and eigh
 * refuse an unsymmetric matrix.
 */
function symmetricPart(H: Float64Array, n: number): Float64Array {
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S[i * n + j] = 0.5 * (H[i * n + j]! + H[j * n + i]!);
  return S;
}

/**
 * The exact trust-region step for a dense Hessian (Moré & Sorensen 1983, "Computing a trust region step";
 * SciPy's `trust-exact`): the global minimiser of gᵀp + ½pᵀHp over ‖p‖ ≤ Δ for the symmetric part of H,
 * indefinite H and the hard case included, by {@link smallTrustRegion} (H's eigendecomposition and the
 * secular equation) — O(n³) per step, for the moderate n where a dense Hessian is affordable.
 */
export function exactStep(Hin: Float64Array, g: Float64Array, delta: number): TrustStep {
  const n = g.length;
  const H = symmetricPart(Hin, n);
  const { y: p, hitsBoundary } = smallTrustRegion(H, g, delta);
  return { p, hitsBoundary, model: dot(g, p) + 0.5 * dot(p, matVec(H, p, n)) };
}
