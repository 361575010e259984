// Variable projection for the coefficients that enter a PDE residual linearly: at every loss evaluation they
// are replaced by the least-squares minimiser of the residual for the current network, so the optimiser
// only ever sees the network's parameters (Golub & Pereyra 1973).
import { stopGradient } from '@sciml/autodiff';
import {
  type NDArray,
  ValueError,
  add,
  div,
  maximum,
  mul,
  scalar,
  sqrt,
  sub,
  sum,
} from '@sciml/linalg';

/** Relative ridge on the unit-diagonal normal matrix: keeps a vanishing or collinear column finite. */
const RIDGE = 1e-14;

/** The projected coefficients λ* and the residual r(λ*) they leave. @public */
export interface ProjectedResidual {
  /** λ* for each projected name, 0-d arrays without derivative (see {@link projectLinearCoefficients}). */
  coefficients: Record<string, NDArray>;
  /** The residual r(λ*) = r₀ + Σ_j λ*_j a_j at every point. */
  residual: NDArray;
}

/**
 * Variable projection (Golub & Pereyra, SIAM J. Numer. Anal. 10 (1973) 413–432) of the coefficients that a
 * residual depends on affinely, r(λ) = r₀ + Σ_j λ_j a_j (e.g. Burgers' u_t + λ₁ u u_x − λ₂ u_xx, with
 * a₁ = u u_x, a₂ = −u_xx, r₀ = u_t): the columns are read off as r₀ = r(0) and a_j = r(e_j) − r₀, and
 * λ* = argmin_λ Σ r(λ)² solves the normal equations AᵀA λ = −Aᵀr₀ (Jacobi-scaled, by Cholesky). λ* carries
 * no derivative: since it minimises the loss over λ, dL(θ, λ*(θ))/dθ = ∂L/∂θ at λ = λ* (the envelope
 * theorem), so the gradient of a loss whose only λ-dependent term is Σ r² is exact without differentiating
 * the solve.
 * @param residualAt - the residual at all points for given coefficient values (0-d arrays)
 * @param names - the coefficients to project, at least one
 * @public
 */
export function projectLinearCoefficients(
  residualAt: (coefficients: Record<string, NDArray>) => NDArray,
  names: readonly string[],
): ProjectedResidual {
  if (names.length === 0)
    throw new ValueError('projectLinearCoefficients', 'names must list at least one coefficient');
  const at = (j: number) =>
    residualAt(Object.fromEntries(names.map((n, k) => [n, scalar(k === j ? 1 : 0)])));
  const r0 = at(-1);
  const cols = names.map((_, j) => sub(at(j), r0));
  // Jacobi scaling makes the normal matrix's diagonal 1, so columns of very different size (u u_x against
  // u_xx, which is ~1/ν² across a shock) do not square the conditioning further
  const norms = cols.map((a) => maximum(sqrt(sum(mul(a, a))), 1e-300));
  const unit = cols.map((a, j) => div(a, norms[j]!));
  const k = names.length;
  const g: NDArray[][] = unit.map((ai, i) =>
    unit.map((aj, j) => (i === j ? scalar(1 + RIDGE) : sum(mul(ai, aj)))),
  );
  const b = unit.map((a) => mul(-1, sum(mul(a, r0))));
  // Cholesky G = LLᵀ, unrolled over the k × k scalars (k is the number of coefficients, a handful)
  const l: NDArray[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = g[i]![j]!;
      for (let m = 0; m < j; m++) s = sub(s, mul(l[i]![m]!, l[j]![m]!));
      l[i]![j] = i === j ? sqrt(maximum(s, RIDGE)) : div(s, l[j]![j]!);
    }
  const y: NDArray[] = [];
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s = sub(s, mul(l[i]![m]!, y[m]!));
    y.push(div(s, l[i]![i]!));
  }
  const z: NDArray[] = new Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let m = i + 1; m < k; m++) s = sub(s, mul(l[m]![i]!, z[m]!));
    z[i] = div(s, l[i]![i]!);
  }
  const lambda = stopGradient(z.map((zi, j) => div(zi, norms[j]!)));
  const residual = lambda.reduce((r, lj, j) => add(r, mul(lj, cols[j]!)), r0);
  return { coefficients: Object.fromEntries(names.map((n, j) => [n, lambda[j]!])), residual };
}

/**
 * Checks once, on concrete values, that the residual is affine in the projected coefficients: r at a
 * generic λ must equal r₀ + Σ λ_j a_j (to 1e-8 relative), else variable projection would silently solve
 * the wrong problem.
 */
export function checkAffine(
  residualAt: (coefficients: Record<string, NDArray>) => NDArray,
  names: readonly string[],
): void {
  const trial = names.map((_, j) => 0.7 + 0.37 * j);
  const at = (v: number[]) =>
    residualAt(Object.fromEntries(names.map((n, j) => [n, scalar(v[j]!)]))).dataSync();
  const r0 = at(names.map(() => 0));
  const cols = names.map((_, j) => at(names.map((_n, k) => (k === j ? 1 : 0))));
  const rt = at(trial);
  let err = 0;
  let size = 0;
  rt.forEach((v, i) => {
    const lin = cols.reduce((s, c, j) => s + trial[j]! * (c[i]! - r0[i]!), r0[i]!);
    err = Math.max(err, Math.abs(v - lin));
    size = Math.max(size, Math.abs(v), Math.abs(lin));
  });
  if (!(err <= 1e-8 * Math.max(size, 1e-300)))
    throw new ValueError(
      'trainPinn',
      `variables solved by 'leastSquares' (${names.join(', ')}) must enter the PDE residual linearly, but r(λ) differs from r(0) + Σ λ_j (r(e_j) − r(0)) by ${err.toExponential(2)} (relative to ${size.toExponential(2)}); train them as ordinary variables instead`,
    );
}
