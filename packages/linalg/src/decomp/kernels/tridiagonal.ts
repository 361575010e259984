/**
 * Householder reduction of a symmetric matrix to tridiagonal form, A = Q T Qᵀ (Golub & Van Loan 4th ed.,
 * Alg. 8.3.1; LAPACK `dsytd2` working on the lower triangle). Each step is one symmetric matrix–vector
 * product and one symmetric rank-2 update, both streaming the lower triangle row by row.
 */
import { makeReflector, reflectorVector } from './householder.js';
import { applyReflectorsBackward } from './wy.js';

/** Tridiagonal T (diagonal `d`, sub-diagonal `e`) and the reflectors whose product is Q. */
export interface Tridiagonal {
  d: Float64Array;
  e: Float64Array;
  vs: Float64Array[];
  taus: Float64Array;
}

/**
 * Reduces the symmetric n×n row-major `a` (lower triangle read; overwritten) to tridiagonal form. Reflector
 * k acts on rows/columns k+1… .
 */
export function tridiagonalize(a: Float64Array, n: number): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const vs: Float64Array[] = [];
  const taus = new Float64Array(Math.max(n - 2, 0));
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // column k below the diagonal, read from the lower triangle (stride n)
    const len = n - k - 1;
    const tau = makeReflector(a, (k + 1) * n + k, n, len);
    d[k] = a[k * n + k]!;
    e[k] = a[(k + 1) * n + k]!;
    taus[k] = tau;
    const v = reflectorVector(a, (k + 1) * n + k, n, len);
    vs.push(v);
    if (tau === 0) continue;
    const o = k + 1;
    // p = τ S v with S = A[o:, o:] symmetric, read from its lower triangle in one row-wise pass
    p.fill(0, 0, len);
    for (let i = 0; i < len; i++) {
      const row = (o + i) * n + o;
      const vi = v[i]!;
      let acc = 0;
      for (let j = 0; j < i; j++) {
        const s = a[row + j]!;
        acc += s * v[j]!;
        p[j]! += s * vi;
      }
      p[i]! += acc + a[row + i]! * vi;
    }
    let pv = 0;
    for (let i = 0; i < len; i++) {
      p[i]! *= tau;
      pv += p[i]! * v[i]!;
    }
    // w = p − (τ/2)(pᵀv) v; S ← S − v wᵀ − w vᵀ on the lower triangle
    const half = 0.5 * tau * pv;
    for (let i = 0; i < len; i++) p[i]! -= half * v[i]!;
    for (let i = 0; i < len; i++) {
      const row = (o + i) * n + o;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j <= i; j++) a[row + j]! -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  return { d, e, vs, taus };
}

/** Q (n×n) = H₀ H₁ ⋯ from the reflectors of `tridiagonalize`, by backward accumulation. */
export function formTridiagonalQ(t: Tridiagonal, n: number): Float64Array {
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  applyReflectorsBackward(Q, n, n, t, 1);
  return Q;
}
