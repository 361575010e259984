import {
  SingularMatrixError,
  concat,
  fromTypedArray,
  lstsq,
  matmul,
  qr,
  ridge,
  solveTriangular,
} from '@sciml/linalg';
import type { ReducedProblem } from './optimizer.js';

/** Columns `support` of R (q×s) and column `target` of C (q,): the problem on the kept features. */
function restrict(g: ReducedProblem, target: number, support: readonly number[]) {
  const { rows: q, features: p, targets: k } = g;
  const s = support.length;
  const a = new Float64Array(q * s);
  const c = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < s; j++) a[i * s + j] = g.R[i * p + support[j]!]!;
    c[i] = g.C[i * k + target]!;
  }
  return { a: fromTypedArray(a, [q, s]), c: fromTypedArray(c, [q]) };
}

/**
 * Ridge least squares restricted to a support: ξ_S = argmin ‖y − Θ_S ξ‖² + α‖ξ‖² for one target (pysindy's
 * convention, α not squared), zero off S. With α > 0 it is @sciml/linalg's `ridge`, which penalises α²‖x‖²
 * and so is called with √α; it is solved by SVD filtering and never fails, however ill-conditioned the
 * features. With α = 0 it is the ordinary least-squares refit ("unbiasing") by @sciml/linalg's `lstsq`,
 * which throws `SingularMatrixError` only when the kept features are linearly dependent to working
 * precision (numerical rank below |S| at NumPy's tolerance for Θ_S, max(samples, |S|)·ε·σ₁): then the
 * coefficients are not identifiable. Both work on the QR-reduced problem (R_S, Qᵀy), never on ΘᵀΘ.
 */
export function solveOnSupport(
  op: string,
  g: ReducedProblem,
  target: number,
  support: readonly number[],
  alpha: number,
): Float64Array {
  const xi = new Float64Array(g.features);
  const s = support.length;
  if (s === 0) return xi;
  const { a, c } = restrict(g, target, support);
  let sol: ArrayLike<number>;
  if (alpha > 0) {
    sol = ridge(a, c, Math.sqrt(alpha)).dataSync();
  } else {
    const fit = lstsq(a, c, { rtol: Math.max(g.samples, s) * Number.EPSILON });
    if (fit.rank < s) {
      throw new SingularMatrixError(
        op,
        `the ${s} library features kept for target ${target} are linearly dependent (numerical rank ` +
          `${fit.rank}); use a ridge penalty alpha > 0, or a library without duplicate features`,
      );
    }
    sol = fit.x.dataSync();
  }
  for (let j = 0; j < s; j++) xi[support[j]!] = sol[j]!;
  return xi;
}

/**
 * The proximal step of SR3 for every target at once: W ↦ argmin_Ξ ‖C − RΞ‖² + ‖Ξ − W‖²/ν, with Ξ and W p×k
 * (feature-major). This is the ridge problem [R; I/√ν] Ξ ≈ [C; W/√ν], whose normal equations are
 * (ΘᵀΘ + I/ν) Ξ = ΘᵀY + W/ν. The augmented matrix is factored once by @sciml/linalg's `qr`; its R̃
 * (p×p) is the Cholesky factor of ΘᵀΘ + I/ν without forming it, and its diagonal stays ≥ 1/√ν in
 * magnitude, so each step is one product and one triangular solve and never meets a singular matrix.
 */
export function proximalRidgeSolver(
  g: ReducedProblem,
  nu: number,
): (w: Float64Array) => Float64Array {
  const { rows: q, features: p, targets: k } = g;
  const shift = fromTypedArray(
    Float64Array.from({ length: p * p }, (_, e) => (e % (p + 1) === 0 ? 1 / Math.sqrt(nu) : 0)),
    [p, p],
  );
  const { Q, R } = qr(concat([fromTypedArray(g.R, [q, p]), shift], { axis: 0 }));
  const C = fromTypedArray(g.C, [q, k]);
  return (w) => {
    const rhs = concat(
      [
        C,
        fromTypedArray(
          w.map((v) => v / Math.sqrt(nu)),
          [p, k],
        ),
      ],
      { axis: 0 },
    );
    const xi = solveTriangular(R, matmul(Q, rhs, { transA: true }), { lower: false });
    return Float64Array.from(xi.dataSync());
  };
}
