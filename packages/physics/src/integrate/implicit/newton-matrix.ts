/**
 * The factored iteration matrices of the stiff steppers: σ·I − J (real σ, for Rosenbrock's W = I − hdJ,
 * the ESDIRK's I − hγJ and Radau's real block) and (α + iβ)·I − J (Radau's complex block), by dense LU or,
 * when the Jacobian is banded (`jacBand`), by the banded LU with partial pivoting of @sciml/linalg (LAPACK
 * `gbtrf`): O(n·l·(l + u)) per factorisation instead of O(n³), O(n·(2l + u)) per solve instead of O(n²).
 * Entries of J outside the band are never read: the band is the caller's promise, as in SciPy's LSODA.
 */
import { BandedLU } from '@sciml/linalg';
import { DenseLU } from './dense-lu.js';
import type { JacobianStore } from './jacobian-store.js';

/** A factored n×n iteration matrix: `solveInPlace` overwrites its argument with the solution. */
export interface NewtonMatrix {
  solveInPlace(b: Float64Array): void;
}

/**
 * The band to factor in — J's own band ([l, u], as stored) — or undefined when the dense LU is as cheap (the
 * factor holds 2l + u + 1 diagonals; past about n/2 of them the dense LU costs no more).
 */
function usefulBand(J: JacobianStore): readonly [number, number] | undefined {
  const band = J.band;
  return band !== undefined && 2 * band[0] + band[1] + 1 <= J.n / 2 ? band : undefined;
}

/** J as a dense n×n row-major matrix (a copy when J is stored banded). */
function denseOf(J: JacobianStore): Float64Array {
  if (J.band === undefined) return J.data;
  const n = J.n;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = J.get(i, j);
  return D;
}

/**
 * Factors scale·J + shift·I (scale −hγ and shift 1 for I − hγJ, scale −1 and shift μ/h for Radau's real
 * block), banded when J is stored banded narrowly enough. Throws `SingularMatrixError` (naming `op`) on a zero
 * pivot, which the steppers answer with a smaller step.
 */
export function factorShifted(
  op: string,
  J: JacobianStore,
  scale: number,
  shift: number,
): NewtonMatrix {
  const n = J.n;
  const lu = usefulBand(J);
  if (lu === undefined) {
    const D = denseOf(J);
    const M = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) M[i] = scale * D[i];
    for (let i = 0; i < n; i++) M[i * n + i] += shift;
    return new DenseLU(op, M, n);
  }
  // the same band storage as J: ab[(u + i − j)·n + j] = M[i][j]
  const ku = lu[1];
  const ab = new Float64Array(J.data.length);
  for (let k = 0; k < ab.length; k++) ab[k] = scale * J.data[k];
  for (let j = 0; j < n; j++) ab[ku * n + j] += shift;
  return BandedLU.fromBand([lu[0], ku], n, ab, { op });
}

/**
 * Factors (α + iβ)·I − J. `solveInPlace` takes b split as [Re b (n), Im b (n)] (2n numbers). Dense: the real
 * 2n×2n form [[αI − J, −βI], [βI, αI − J]]; banded: the complex banded LU, whose factor has the band of J (the
 * real form of a band matrix in this ordering would not be banded).
 */
export function factorShiftedComplex(
  op: string,
  J: JacobianStore,
  alpha: number,
  beta: number,
): NewtonMatrix {
  const n = J.n;
  const lu = usefulBand(J);
  if (lu === undefined) {
    const D = denseOf(J);
    const n2 = 2 * n;
    const C = new Float64Array(4 * n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = -D[i * n + j];
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
  const ku = lu[1];
  const jb = J.data;
  const ab = new Float64Array(2 * jb.length);
  for (let k = 0; k < jb.length; k++) ab[2 * k] = -jb[k];
  for (let j = 0; j < n; j++) {
    ab[2 * (ku * n + j)] += alpha;
    ab[2 * (ku * n + j) + 1] = beta;
  }
  const factor = BandedLU.fromBand([lu[0], ku], n, ab, { complex: true, op });
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
