/**
 * A virtual Brownian tree (Gaines & Lyons, "Variable step size control in the numerical solution of
 * stochastic differential equations", SIAM J. Appl. Math. 57 (1997); Li, Wong, Chen & Duvenaud, "Scalable
 * gradients for stochastic differential equations", AISTATS 2020, §3; diffrax's `VirtualBrownianTree`):
 * W(t) on [t0, t1] is defined by recursive Brownian-bridge bisection, each node's normal draw keyed by its
 * position in the tree through Philox4x32-10. Nothing is stored, yet every query of the same t returns the
 * same value, in any order: adaptive steps, step-size refinements and a backward (adjoint) pass all see one
 * path. Below the tolerance the path is interpolated linearly.
 */
import { NotFiniteError, ValueError, philox4x32 } from '@sciml/linalg';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Options of {@link VirtualBrownianTree}. @public */
export interface VirtualBrownianTreeOptions {
  /** Seed of the path (a non-negative safe integer): the same seed gives the same path. */
  seed: number;
  /** Number of independent Brownian components (default 1). */
  dim?: number;
  /** Bisection stops when the interval is shorter than this (default (t1 − t0)·2⁻²⁰). */
  tol?: number;
}

/**
 * Standard Brownian motion W: [t0, t1] → ℝᵈ with W(t0) = 0, sampled lazily and reproducibly (see module
 * notes). `evaluate(t)` is W(t); `increment(s, t)` is W(t) − W(s).
 * @example
 * ```ts
 * const bm = new VirtualBrownianTree(0, 1, { seed: 7, dim: 2 });
 * bm.evaluate(0.5); // the same two numbers on every call
 * ```
 * @public
 */
export class VirtualBrownianTree {
  /** Start of the interval (W = 0 there). */
  readonly t0: number;
  /** End of the interval. */
  readonly t1: number;
  /** Number of components d. */
  readonly dim: number;
  /** Bisection depth limit as a length. */
  readonly tol: number;
  readonly #k0: number;
  readonly #k1: number;
  readonly #buf = new Uint32Array(4);
  readonly #wLeft: Float64Array;
  readonly #wRight: Float64Array;
  readonly #wMid: Float64Array;
  readonly #w1: Float64Array; // W(t1)

  constructor(t0: number, t1: number, options: VirtualBrownianTreeOptions) {
    const op = 'VirtualBrownianTree';
    if (!Number.isFinite(t0) || !Number.isFinite(t1))
      throw new NotFiniteError(op, `the interval [${t0}, ${t1}] must be finite`);
    if (!(t1 > t0)) throw new ValueError(op, `needs t0 < t1, got [${t0}, ${t1}]`);
    const seed = options.seed;
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new ValueError(op, `seed must be a non-negative safe integer, got ${seed}`);
    const dim = options.dim ?? 1;
    if (!Number.isSafeInteger(dim) || dim < 1)
      throw new ValueError(op, `dim must be a positive integer, got ${dim}`);
    const tol = options.tol ?? (t1 - t0) * 2 ** -20;
    if (!(tol > 0)) throw new ValueError(op, `tol must be positive, got ${tol}`);
    this.t0 = t0;
    this.t1 = t1;
    this.dim = dim;
    this.tol = tol;
    this.#k0 = seed >>> 0;
    this.#k1 = Math.floor(seed / TWO_POW_32) >>> 0;
    this.#wLeft = new Float64Array(dim);
    this.#wRight = new Float64Array(dim);
    this.#wMid = new Float64Array(dim);
    this.#w1 = new Float64Array(dim);
    // W(t1) ~ N(0, (t1 − t0) I), keyed by the root
    this.#normals(this.#k0, this.#k1, Math.sqrt(t1 - t0), this.#w1);
  }

  /** d standard normals scaled by `std`, keyed by (k0, k1) (Box–Muller on Philox blocks). */
  #normals(k0: number, k1: number, std: number, out: Float64Array): void {
    const buf = this.#buf;
    for (let i = 0; i < out.length; i += 2) {
      philox4x32(i, 0x9e3779b9, 0, 0, k0, k1, buf);
      const u1 = 1 - ((buf[0] >>> 5) * 67108864 + (buf[1] >>> 6)) / TWO_POW_53;
      const u2 = ((buf[2] >>> 5) * 67108864 + (buf[3] >>> 6)) / TWO_POW_53;
      const r = std * Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
  }

  /** Writes W(t) into `out` (length dim; allocated when omitted) and returns it. */
  evaluate(t: number, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (!(t >= this.t0 && t <= this.t1))
      throw new ValueError(
        'VirtualBrownianTree.evaluate',
        `t = ${t} lies outside the path's interval [${this.t0}, ${this.t1}]`,
      );
    const d = this.dim;
    const wl = this.#wLeft;
    const wr = this.#wRight;
    const wm = this.#wMid;
    wl.fill(0);
    wr.set(this.#w1);
    let a = this.t0;
    let b = this.t1;
    let k0 = this.#k0;
    let k1 = this.#k1;
    const buf = this.#buf;
    while (b - a > this.tol) {
      const m = 0.5 * (a + b);
      if (t === a || t === b) break;
      // the midpoint's key, derived from the node's key: the tree is addressed, not stored
      philox4x32(1, 0, 0, 0, k0, k1, buf);
      const m0 = buf[0];
      const m1 = buf[1];
      // Brownian bridge: W(m) | W(a), W(b) ~ N((W(a) + W(b))/2, (b − a)/4)
      this.#normals(m0, m1, 0.5 * Math.sqrt(b - a), wm);
      for (let i = 0; i < d; i++) wm[i] += 0.5 * (wl[i] + wr[i]);
      // children keys: left (2, …) and right (3, …) of the node
      philox4x32(t < m ? 2 : 3, 0, 0, 0, k0, k1, buf);
      k0 = buf[0];
      k1 = buf[1];
      if (t < m) {
        b = m;
        wr.set(wm);
      } else {
        a = m;
        wl.set(wm);
      }
    }
    // linear interpolation below the tolerance (exact at the node ends)
    const s = b === a ? 0 : (t - a) / (b - a);
    for (let i = 0; i < d; i++) out[i] = wl[i] + s * (wr[i] - wl[i]);
    return out;
  }

  /** Writes W(t) − W(s) into `out` and returns it. */
  increment(s: number, t: number, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    const ws = this.evaluate(s, new Float64Array(this.dim));
    this.evaluate(t, out);
    for (let i = 0; i < this.dim; i++) out[i] -= ws[i];
    return out;
  }
}
