/**
 * One step of the diagonal-noise SDE methods of `sdeint`, split in two so that several steps from the same
 * point share their evaluations: {@link SdeScheme.at} evaluates f, g (and ∂g/∂y for Milstein) at (t, y),
 * {@link SdeScheme.advance} takes a step of any size h with any Brownian increment ΔW from there. The adaptive
 * solver tries several (h, ΔW) from one point (a coarse step, a half step, retries after a rejection) at the
 * cost of one evaluation of f and g (Kloeden & Platen 1992, §§10.2–10.3; Higham, SIAM Review 43 (2001)).
 */
import type { OdeRhsInPlace } from '../types.js';

/** Methods of `sdeint`. @public */
export type SdeMethod = 'EulerMaruyama' | 'Milstein' | 'EulerHeun';

/** The increment Y(t) → Y(t + h) of one method, with the evaluations at (t, y) kept between steps. */
export class SdeScheme {
  readonly #f: OdeRhsInPlace;
  readonly #g: OdeRhsInPlace;
  readonly #method: SdeMethod;
  readonly #stratonovich: boolean;
  readonly #dgdy: OdeRhsInPlace | undefined;
  readonly #fy: Float64Array;
  readonly #gy: Float64Array;
  readonly #dg: Float64Array;
  readonly #yHat: Float64Array;
  readonly #g2: Float64Array;
  #t = 0;
  #y: Float64Array;
  /** Calls of f and g so far (each counts one). */
  nfev = 0;

  constructor(
    f: OdeRhsInPlace,
    g: OdeRhsInPlace,
    n: number,
    method: SdeMethod,
    calculus: 'ito' | 'stratonovich',
    dgdy?: OdeRhsInPlace,
  ) {
    this.#f = f;
    this.#g = g;
    this.#method = method;
    this.#stratonovich = calculus === 'stratonovich';
    this.#dgdy = dgdy;
    this.#fy = new Float64Array(n);
    this.#gy = new Float64Array(n);
    this.#dg = new Float64Array(n);
    this.#yHat = new Float64Array(n);
    this.#g2 = new Float64Array(n);
    this.#y = new Float64Array(n);
  }

  /** Evaluates the method's terms at (t, y); `y` is read again by {@link advance}, so keep it unchanged until then. */
  at(t: number, y: Float64Array): void {
    this.#t = t;
    this.#y = y;
    this.#f(t, y, this.#fy);
    this.#g(t, y, this.#gy);
    this.nfev += 2;
    if (this.#method === 'Milstein') {
      if (this.#dgdy) this.#dgdy(t, y, this.#dg);
      else {
        diagonalDerivative(this.#g, t, y, this.#gy, this.#dg, this.#yHat, this.#g2);
        this.nfev++;
      }
    }
  }

  /**
   * Writes Y(t + h) into `out` (which may be the `y` given to {@link at}) for the Brownian increment dW:
   * - Euler–Maruyama: y + f h + g ΔW;
   * - Milstein: y + f h + g ΔW + ½ g ∂g/∂y (ΔW² − h) (Itô) or ½ g ∂g/∂y ΔW² (Stratonovich);
   * - Euler–Heun: ŷ = y + f h + g ΔW, then y + f h + ½ (g(t, y) + g(t + h, ŷ)) ΔW.
   */
  advance(h: number, dW: Float64Array, out: Float64Array): void {
    const y = this.#y;
    const fy = this.#fy;
    const gy = this.#gy;
    const n = y.length;
    if (this.#method === 'EulerMaruyama') {
      for (let i = 0; i < n; i++) out[i] = y[i] + (fy[i] * h + gy[i] * dW[i]);
    } else if (this.#method === 'EulerHeun') {
      const yHat = this.#yHat;
      const g2 = this.#g2;
      for (let i = 0; i < n; i++) yHat[i] = y[i] + fy[i] * h + gy[i] * dW[i];
      this.#g(this.#t + h, yHat, g2);
      this.nfev++;
      for (let i = 0; i < n; i++) out[i] = y[i] + (fy[i] * h + 0.5 * (gy[i] + g2[i]) * dW[i]);
    } else {
      const dg = this.#dg;
      const strat = this.#stratonovich;
      for (let i = 0; i < n; i++) {
        const w = dW[i];
        const corr = strat ? w * w : w * w - h;
        out[i] = y[i] + (fy[i] * h + gy[i] * w + 0.5 * gy[i] * dg[i] * corr);
      }
    }
  }
}

/**
 * ∂gᵢ/∂yᵢ by forward differences, all components at once (one g call). Exact to O(δ) when gᵢ depends on yᵢ
 * only, which is what diagonal noise must satisfy for Milstein's order 1 anyway (the commutativity
 * condition gⱼ ∂gₖ/∂yⱼ = gₖ ∂gⱼ/∂yₖ; otherwise Lévy areas enter: Kloeden & Platen §10.3).
 */
function diagonalDerivative(
  g: OdeRhsInPlace,
  t: number,
  y: Float64Array,
  gy: Float64Array,
  out: Float64Array,
  yPert: Float64Array,
  gPert: Float64Array,
): void {
  const n = y.length;
  for (let i = 0; i < n; i++)
    yPert[i] = y[i] + Math.sqrt(Number.EPSILON) * Math.max(1, Math.abs(y[i]));
  g(t, yPert, gPert);
  for (let i = 0; i < n; i++) out[i] = (gPert[i] - gy[i]) / (yPert[i] - y[i]);
}
