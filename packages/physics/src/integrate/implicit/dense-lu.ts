/**
 * A factored Newton matrix for the implicit steppers: the LU factorisation with partial pivoting comes from
 * @sciml/linalg (`luFactor`, LAPACK's `getrf` layout); the many solves per factorisation that a simplified
 * Newton iteration needs then run as two triangular sweeps on typed arrays, in place, with no allocation.
 */
import { SingularMatrixError, fromTypedArray, luFactor } from '@sciml/linalg';

export class DenseLU {
  readonly n: number;
  readonly #lu: Float64Array;
  readonly #perm: Int32Array;
  readonly #tmp: Float64Array;

  /**
   * Factors the n×n row-major matrix `a`. Throws `SingularMatrixError` (naming `op`) on a zero pivot, so
   * that a stepper can shrink its step: I − hγJ is singular only for isolated h.
   */
  constructor(op: string, a: Float64Array, n: number) {
    const f = luFactor(fromTypedArray(a, [n, n]));
    this.n = n;
    this.#lu = Float64Array.from(f.lu.dataSync() as ArrayLike<number>);
    this.#perm = Int32Array.from(f.perm.dataSync() as ArrayLike<number>);
    this.#tmp = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = this.#lu[i * n + i];
      if (d === 0 || !Number.isFinite(d))
        throw new SingularMatrixError(
          op,
          `the ${n}×${n} Newton matrix has pivot ${d} in column ${i}; the step size is retried smaller`,
        );
    }
  }

  /** Overwrites b (length n) with A⁻¹ b. */
  solveInPlace(b: Float64Array): void {
    const n = this.n;
    const lu = this.#lu;
    const x = this.#tmp;
    for (let i = 0; i < n; i++) x[i] = b[this.#perm[i]];
    for (let i = 1; i < n; i++) {
      let acc = x[i];
      const row = i * n;
      for (let j = 0; j < i; j++) acc -= lu[row + j] * x[j];
      x[i] = acc;
    }
    for (let i = n - 1; i >= 0; i--) {
      let acc = x[i];
      const row = i * n;
      for (let j = i + 1; j < n; j++) acc -= lu[row + j] * x[j];
      x[i] = acc / lu[row + i];
    }
    b.set(x);
  }
}
