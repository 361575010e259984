import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { svd } from '../decomp/svd.js';
import { readFloat64 } from '../decomp/util.js';
import { fromTypedArray } from '../ops/creation.js';

/** Options shared by the completion solvers. */
export interface CompletionOptions {
  /** Stop when the relative change (soft-impute) or the relative residual on Ω (SVT) is below tol (default 1e-6). */
  tol?: number;
  /** Iteration limit (default 500). */
  maxIter?: number;
}

/** A completed matrix and how the solver got there. */
export interface CompletionResult {
  X: NDArray;
  /** Rank of the final iterate. */
  rank: number;
  iterations: number;
  converged: boolean;
}

function checkMask(
  op: string,
  M: NDArray,
  mask: NDArray,
): { m: number; n: number; observed: Uint8Array; values: Float64Array } {
  if (
    M.ndim !== 2 ||
    mask.ndim !== 2 ||
    M.shape[0] !== mask.shape[0] ||
    M.shape[1] !== mask.shape[1]
  ) {
    throw new ShapeError(
      op,
      `needs M and mask of one 2-D shape, got ${formatShape(M.shape)} and ${formatShape(mask.shape)}`,
    );
  }
  const m = M.shape[0]!;
  const n = M.shape[1]!;
  const observed = Uint8Array.from(mask.dataSync(), (v) => (v ? 1 : 0));
  const values = readFloat64(M);
  for (let i = 0; i < values.length; i++) {
    if (observed[i] && !Number.isFinite(values[i]!))
      throw new ValueError(op, `observed entry ${i} is not finite`);
  }
  if (!observed.some((v) => v)) throw new ValueError(op, 'the mask observes no entries');
  return { m, n, observed, values };
}

/** Soft-thresholds the singular values of Y by τ: D_τ(Y) = U max(S − τ, 0) Vᵀ; returns it and its rank. */
function shrink(
  Y: Float64Array,
  m: number,
  n: number,
  tau: number,
): { X: Float64Array; rank: number } {
  const { U, S, Vt } = svd(fromTypedArray(Y, [m, n]), { fullMatrices: false });
  const u = U.dataSync();
  const s = S.dataSync();
  const vt = Vt.dataSync();
  const k = s.length;
  const X = new Float64Array(m * n);
  let rank = 0;
  for (let r = 0; r < k; r++) {
    const sr = s[r]! - tau;
    if (sr <= 0) break;
    rank++;
    for (let i = 0; i < m; i++) {
      const c = u[i * k + r]! * sr;
      if (c === 0) continue;
      for (let j = 0; j < n; j++) X[i * n + j]! += c * vt[r * n + j]!;
    }
  }
  return { X, rank };
}

/**
 * Soft-impute (Mazumder, Hastie & Tibshirani 2010, JMLR): minimises ½‖P_Ω(X − M)‖²_F + λ‖X‖_* by the fixed
 * point X ← D_λ(P_Ω(M) + P_Ω^⊥(X)), filling missing entries with the current estimate.
 */
export function softImpute(
  M: NDArray,
  mask: NDArray,
  options: CompletionOptions & { lambda: number },
): CompletionResult {
  const { m, n, observed, values } = checkMask('softImpute', M, mask);
  if (!(options.lambda >= 0))
    throw new ValueError('softImpute', `lambda must be ≥ 0, got ${options.lambda}`);
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 500;
  let X: Float64Array = new Float64Array(m * n);
  let rank = 0;
  // continuation (Mazumder et al. §5): start at λ₀ = σ₁(P_Ω M), where the solution is 0, and shrink λ
  // geometrically to the target, warm-starting each stage; far fewer iterations than starting at the target
  const sigma1 = readFloat64(
    svd(
      fromTypedArray(
        Float64Array.from(values, (v, i) => (observed[i] ? v : 0)),
        [m, n],
      ),
      { fullMatrices: false },
    ).S,
  )[0]!;
  let lambda = Math.max(sigma1, options.lambda);
  for (let it = 1; it <= maxIter; it++) {
    const Y = Float64Array.from(X, (x, i) => (observed[i] ? values[i]! : x));
    const next = shrink(Y, m, n, lambda);
    let diff = 0;
    let size = 0;
    for (let i = 0; i < X.length; i++) {
      diff += (next.X[i]! - X[i]!) ** 2;
      size += X[i]! ** 2;
    }
    X = next.X;
    rank = next.rank;
    if (diff <= tol * tol * Math.max(size, 1e-300)) {
      if (lambda === options.lambda)
        return { X: fromTypedArray(X, [m, n]), rank, iterations: it, converged: true };
      lambda = Math.max(lambda / 2, options.lambda);
    }
  }
  return { X: fromTypedArray(X, [m, n]), rank, iterations: maxIter, converged: false };
}

/**
 * Singular value thresholding (Cai, Candès & Shen 2010, SIAM J. Optim.): X_k = D_τ(Y_{k−1}),
 * Y_k = Y_{k−1} + δ P_Ω(M − X_k), which converges to the minimiser of τ‖X‖_* + ½‖X‖²_F subject to
 * P_Ω(X) = P_Ω(M). Defaults from the paper: τ = 5√(mn), δ = 1.2·mn/|Ω| (capped at 1.9). Larger τ approaches the
 * minimum-nuclear-norm completion but converges more slowly; `softImpute` with continuation is usually faster.
 */
export function singularValueThresholding(
  M: NDArray,
  mask: NDArray,
  options: CompletionOptions & { tau?: number; delta?: number } = {},
): CompletionResult {
  const { m, n, observed, values } = checkMask('singularValueThresholding', M, mask);
  const count = observed.reduce((s, v) => s + v, 0);
  const tau = options.tau ?? 5 * Math.sqrt(m * n);
  // the paper's step 1.2·mn/|Ω|, capped below 2 where its convergence proof ends (0 < δ < 2)
  const delta = options.delta ?? Math.min((1.2 * m * n) / count, 1.9);
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 500;
  let normM = 0;
  for (let i = 0; i < values.length; i++) if (observed[i]) normM += values[i]! ** 2;
  normM = Math.sqrt(normM);
  // warm start Y₀ = k₀δP_Ω(M) with k₀ = ⌈τ/(δ‖P_Ω M‖₂)⌉, bounding ‖P_Ω M‖₂ by the Frobenius norm
  const k0 = Math.ceil(tau / (delta * normM));
  const Y = Float64Array.from(values, (v, i) => (observed[i] ? k0 * delta * v : 0));
  let X: Float64Array = new Float64Array(m * n);
  let rank = 0;
  for (let it = 1; it <= maxIter; it++) {
    ({ X, rank } = shrink(Y, m, n, tau));
    let res = 0;
    for (let i = 0; i < X.length; i++) {
      if (!observed[i]) continue;
      const r = values[i]! - X[i]!;
      res += r * r;
      Y[i]! += delta * r;
    }
    if (Math.sqrt(res) <= tol * normM)
      return { X: fromTypedArray(X, [m, n]), rank, iterations: it, converged: true };
  }
  return { X: fromTypedArray(X, [m, n]), rank, iterations: maxIter, converged: false };
}
