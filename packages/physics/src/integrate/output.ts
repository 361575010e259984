/** A growable time-major buffer of (t, y) samples, turned into SciPy's (n_states, n_times) layout at the end. */
import { type NDArray, fromTypedArray } from '@sciml/linalg';

export class TrajectoryBuffer {
  readonly #n: number;
  #t: Float64Array;
  #y: Float64Array;
  length = 0;

  constructor(n: number, capacity = 64) {
    this.#n = n;
    this.#t = new Float64Array(Math.max(1, capacity));
    this.#y = new Float64Array(Math.max(1, capacity) * n);
  }

  push(t: number, y: Float64Array): void {
    if (this.length === this.#t.length) {
      const t2 = new Float64Array(this.#t.length * 2);
      t2.set(this.#t);
      this.#t = t2;
      const y2 = new Float64Array(this.#y.length * 2);
      y2.set(this.#y);
      this.#y = y2;
    }
    this.#t[this.length] = t;
    const off = this.length * this.#n;
    for (let i = 0; i < this.#n; i++) this.#y[off + i] = y[i];
    this.length++;
  }

  /** Times (length nt) and states transposed to shape (n, nt). */
  finish(): { t: Float64Array; y: NDArray } {
    const n = this.#n;
    const nt = this.length;
    const src = this.#y;
    const out = new Float64Array(n * nt);
    for (let j = 0; j < nt; j++) {
      for (let i = 0; i < n; i++) out[i * nt + j] = src[j * n + i];
    }
    return { t: this.#t.slice(0, nt), y: fromTypedArray(out, [n, nt]) };
  }
}

/** Rows of (count, n) states gathered one at a time (event states), as an NDArray of shape (count, n). */
export function stackRows(rows: Float64Array[], n: number): NDArray {
  const out = new Float64Array(rows.length * n);
  for (let i = 0; i < rows.length; i++) out.set(rows[i], i * n);
  return fromTypedArray(out, [rows.length, n]);
}
