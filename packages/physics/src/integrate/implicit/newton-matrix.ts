/**
 * The factored iteration matrices of the stiff steppers: σ·I − J (real σ, for Rosenbrock's W = I − hdJ,
 * the ESDIRK's I − hγJ and Radau's real block) and (α + iβ)·I − J (Radau's complex block), by dense LU or,
 * when the Jacobian is banded (`jacBand`), by the banded LU with partial pivoting of @sciml/linalg (LAPACK
 * `gbtrf`): O(n·l·(l + u)) per factorisation instead of O(n³), O(n·(2l + u)) per solve instead of O(n²).
 * Entries of J outside the band are never read: the band is the caller's promise, as in SciPy's LSODA.
 */
import { BandedLU } from '@sciml/linalg';
import type { JacobianBand } from '../fd-jacobian.js';
import { DenseLU } from './dense-lu.js';

/** A factored n×n iteration matrix: `solveInPlace` overwrites its argument with the solution. */
export interface NewtonMatrix {
  solveInPlace(b: Float64Array): void;
}

/** The band to factor in, or undefined when the dense LU is as cheap (the band fills most of the matrix). */
function usefulBand(band: JacobianBand | undefined, n: number): [number, number] | undefined {
  if (band === undefined) return undefined;
  const kl = Math.min(band.lband, n - 1);
  const ku = Math.min(band.uband, n - 1);
  // the factor holds 2kl + ku + 1 diagonals; past about n/2 of them the dense LU costs no more
  return 2 * kl + ku + 1 <= n / 2 ? [kl, ku] : undefined;
}

/**
 * Factors scale·J + shift·I for the n×n row-major J (scale −hγ and shift 1 for I − hγJ, scale −1 and shift
 * μ/h for Radau's real block), banded when `band` makes that cheaper. Throws `SingularMatrixError` (naming
 * `op`) on a zero pivot, which the steppers answer with a smaller step.
 */
export function factorShifted(
  op: string,
  J: Float64Array,
  n: number,
  scale: number,
  shift: number,
  band?: JacobianBand,
): NewtonMatrix {
  const lu = usefulBand(band, n);
  if (lu === undefined) {
    const M = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) M[i] = scale * J[i];
    for (let i = 0; i < n; i++) M[i * n + i] += shift;
    return new DenseLU(op, M, n);
  }
  const [kl, ku] = lu;
  // SciPy's band storage: ab[(ku + i − j)·n + j] = M[i][j]
  const ab = new Float64Array((kl + ku + 1) * n);
  for (let j = 0; j < n; j++) {
    const hi = Math.min(n - 1, j + kl);
    for (let i = Math.max(0, j - ku); i <= hi; i++) ab[(ku + i - j) * n + j] = scale * J[i * n + j];
    ab[ku * n + j] += shift;
  }
  return BandedLU.fromBand(lu, n, ab, { op });
}

/**
 * Factors (α + iβ)·I − J for the n×n row-major real J. `solveInPlace` takes b split as [Re b (n), Im b (n)]
 * (2n numbers). Dense: the real 2n×2n form [[αI − J, −βI], [βI, αI − J]]; banded: the complex banded LU,
 * whose factor has the band of J (the real form of a band matrix in this ordering would not be banded).
 */
export function factorShiftedComplex(
  op: string,
  J: Float64Array,
  n: number,
  alpha: number,
  beta: number,
  band?: JacobianBand,
): NewtonMatrix {
  const lu = usefulBand(band, n);
  if (lu === undefined) {
    const n2 = 2 * n;
    const C = new Float64Array(4 * n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = -J[i * n + j];
        C[i * n2 + j] = v;
        C[(n + i) * n2 + n + j] = v;
      }
      C[i * n2 + i] += alpha;
      C[(n + i) * n2 + n + i] += alpha;
      C[i * n2 + n + i] = -beta;
      C[(n + i) * n2 + i] = beta;
    }
    return new DenseLU(op, C, n2);
  }
  const [kl, ku] = lu;
  const ab = new Float64Array(2 * (kl + ku + 1) * n);
  for (let j = 0; j < n; j++) {
    const hi = Math.min(n - 1, j + kl);
    for (let i = Math.max(0, j - ku); i <= hi; i++) ab[2 * ((ku + i - j) * n + j)] = -J[i * n + j];
    ab[2 * (ku * n + j)] += alpha;
    ab[2 * (ku * n + j) + 1] = beta;
  }
  const factor = BandedLU.fromBand(lu, n, ab, { complex: true, op });
  const z = new Float64Array(2 * n);
  return {
    solveInPlace(b: Float64Array): void {
      for (let m = 0; m < n; m++) {
        z[2 * m] = b[m];
        z[2 * m + 1] = b[n + m];
      }
      factor.solveInPlace(z);
      for (let m = 0; m < n; m++) {
        b[m] = z[2 * m];
        b[n + m] = z[2 * m + 1];
      }
    },
  };
}
