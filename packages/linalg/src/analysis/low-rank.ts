import type { NDArray } from '../core/ndarray.js';
import { svdTruncated, svdvals } from '../decomp/svd.js';
import { readFloat64 } from '../decomp/util.js';
import { mul } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { expandDims } from '../ops/shape.js';

/** A rank-k approximation and its Eckart–Young error. */
export interface LowRankApproximation {
  /** A_k = U_k diag(σ₁…σ_k) V_kᵀ. */
  approximation: NDArray;
  /** ‖A − A_k‖_F = √(Σ_{i>k} σᵢ²): the smallest Frobenius error of any rank-k matrix (Eckart–Young 1936). */
  frobeniusError: number;
  /** ‖A − A_k‖₂ = σ_{k+1} (0 when k ≥ rank). */
  spectralError: number;
  /** Fraction of ‖A‖_F² captured: Σ_{i≤k} σᵢ² / Σ σᵢ². */
  energy: number;
}

/** Best rank-k approximation of a matrix with its Eckart–Young errors. */
export function lowRankApproximation(A: NDArray, k: number): LowRankApproximation {
  const s = readFloat64(svdvals(A));
  const { U, S, Vt } = svdTruncated(A, k);
  const approximation = matmul(mul(U, expandDims(S, 0)), Vt);
  const total = s.reduce((acc, v) => acc + v * v, 0);
  const tail = s.slice(k).reduce((acc, v) => acc + v * v, 0);
  return {
    approximation,
    frobeniusError: Math.sqrt(tail),
    spectralError: s[k] ?? 0,
    energy: total > 0 ? 1 - tail / total : 1,
  };
}
