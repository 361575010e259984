/**
 * The Jacobian J = ∂f/∂y of the stiff steppers, stored dense (n×n, row-major) or, with `jacBand`, in LAPACK /
 * SciPy band storage — jb[(u + i − j)·n + j] = J[i][j] for −u ≤ i − j ≤ l — so a method-of-lines system holds
 * n·(l + u + 1) numbers instead of n², and J·v (the power iteration of Radau's stiffness estimate) costs
 * O(n·(l + u)) instead of O(n²). Entries outside the band are zero by the caller's promise (SciPy's LSODA).
 */
import { type JacobianBand, bandedDifferences, finiteDifferenceJacobian } from '../fd-jacobian.js';
import type { OdeJacobian, OdeRhsInPlace } from '../types.js';

export class JacobianStore {
  readonly n: number;
  /** [l, u] when stored banded (a band narrower than n); undefined when dense. */
  readonly band: readonly [number, number] | undefined;
  /** Dense: n×n row-major; banded: (l + u + 1)×n band storage. */
  readonly data: Float64Array;
  // an analytic jac writes the dense n×n matrix (its public signature): a buffer for it, banded or not
  #dense: Float64Array | undefined;

  constructor(n: number, band: JacobianBand | undefined) {
    this.n = n;
    const l = band === undefined ? n : Math.min(band.lband, n - 1);
    const u = band === undefined ? n : Math.min(band.uband, n - 1);
    this.band = band !== undefined && l + u + 1 < n ? [l, u] : undefined;
    this.data = new Float64Array(this.band === undefined ? n * n : (l + u + 1) * n);
  }

  /** J[i][j] (0 outside the band). */
  get(i: number, j: number): number {
    const n = this.n;
    if (this.band === undefined) return this.data[i * n + j];
    const [l, u] = this.band;
    return i - j > l || j - i > u ? 0 : this.data[(u + i - j) * n + j];
  }

  /**
   * J at (t, y) from the analytic `jac` or by forward differences of `f` (Curtis–Powell–Reid grouped columns
   * when banded); `fy` = f(t, y). Returns the evaluations of f spent.
   */
  evaluate(
    f: OdeRhsInPlace,
    jac: OdeJacobian | undefined,
    t: number,
    y: Float64Array,
    fy: Float64Array,
    scratch: Float64Array,
  ): number {
    const n = this.n;
    if (this.band === undefined) {
      if (jac) jac(t, y, this.data);
      else return finiteDifferenceJacobian(f, t, y, fy, this.data, scratch);
      return 0;
    }
    const [l, u] = this.band;
    const jb = this.data;
    if (jac) {
      this.#dense ??= new Float64Array(n * n);
      const J = this.#dense;
      jac(t, y, J);
      for (let j = 0; j < n; j++) {
        const hi = Math.min(n - 1, j + l);
        for (let i = Math.max(0, j - u); i <= hi; i++) jb[(u + i - j) * n + j] = J[i * n + j];
      }
      return 0;
    }
    return bandedDifferences(f, t, y, fy, jb, scratch, l, u);
  }

  /** out = J·v. */
  matvec(v: Float64Array, out: Float64Array): void {
    const n = this.n;
    const J = this.data;
    if (this.band === undefined) {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) acc += J[row + j] * v[j];
        out[i] = acc;
      }
      return;
    }
    const [l, u] = this.band;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const hi = Math.min(n - 1, i + u);
      for (let j = Math.max(0, i - l); j <= hi; j++) acc += J[(u + i - j) * n + j] * v[j];
      out[i] = acc;
    }
  }

  /**
   * Spectral radius of J by 30 steps of power iteration from a fixed start: ρ ≈ (‖Jᵏv‖/‖v‖)^(1/k) over the
   * last 10 steps, which also settles for a complex dominant pair.
   */
  spectralRadius(): number {
    const n = this.n;
    let v = new Float64Array(n);
    let w = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = 1 + i / n;
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
    let logGrowth = 0;
    for (let it = 0; it < 30; it++) {
      this.matvec(v, w);
      norm = 0;
      for (let i = 0; i < n; i++) norm += w[i] * w[i];
      norm = Math.sqrt(norm);
      if (!(norm > 0) || !Number.isFinite(norm)) return norm > 0 ? Number.POSITIVE_INFINITY : 0;
      if (it >= 20) logGrowth += Math.log(norm);
      for (let i = 0; i < n; i++) w[i] /= norm;
      [v, w] = [w, v];
    }
    return Math.exp(logGrowth / 10);
  }
}
