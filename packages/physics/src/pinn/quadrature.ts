// Gauss–Legendre quadrature and integral terms of integro-differential equations, evaluated on a network.
import {
  type NDArray,
  ValueError,
  add,
  astype,
  broadcastTo,
  fromTypedArray,
  mul,
  reshape,
  sub,
  sum,
} from '@sciml/linalg';
import type { Field } from './derivatives.js';
import { column } from './geometry.js';

/**
 * The n-point Gauss–Legendre rule on [−1, 1]: nodes (ascending) and weights, exact for polynomials of
 * degree ≤ 2n − 1. Nodes are the roots of P_n by Newton's method from Tricomi's initial guess
 * cos(π(i − 1/4)/(n + 1/2)), weights 2/((1 − x²)P_n′(x)²) (Abramowitz & Stegun 25.4.29).
 * @public
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= 1000))
    throw new ValueError('gaussLegendre', `n must be an integer in [1, 1000], got ${n}`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      // three-term recurrence (k + 1)P_{k+1} = (2k + 1)xP_k − kP_{k−1}
      let p0 = 1;
      let p1 = x;
      for (let k = 1; k < n; k++) {
        const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pm = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pm)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    const w = 2 / ((1 - x * x) * dp * dp);
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  return { nodes, weights };
}

/** Options of {@link volterraIntegral}. @public */
export interface VolterraOptions {
  /** The coordinate integrated along (default 0). */
  axis?: number;
  /** Lower limit a (default 0). */
  lower?: number;
  /** Number of Gauss–Legendre nodes per point (default 20). */
  order?: number;
  /**
   * Kernel K(x, s) as linalg ops on (n·order, dim) rows x and (n·order, 1) nodes s (default 1).
   * @example `(x, s) => exp(sub(s, column(x, 0)))` for K = e^{s − x}
   */
  kernel?: (x: NDArray, s: NDArray) => NDArray;
}

/**
 * The Volterra integral I[u](x) = ∫_a^{x_axis} K(x, s)·u(x with x_axis → s) ds at every row of x, by an
 * `order`-point Gauss–Legendre rule on [a, x_axis] mapped per point (DeepXDE's integro-differential
 * equations, Lu et al., SIAM Rev. 63 (2021) 208–228, §2.5). Built from linalg ops on one batched evaluation
 * of the field at the n·order nodes, so it differentiates with respect to the network's parameters and x.
 * Returns (n, outputs).
 * @public
 */
export function volterraIntegral(u: Field, x: NDArray, options: VolterraOptions = {}): NDArray {
  const op = 'volterraIntegral';
  const axis = options.axis ?? 0;
  const a = options.lower ?? 0;
  const q = options.order ?? 20;
  if (x.ndim !== 2 || x.shape[0] === 0 || !(axis >= 0 && axis < x.shape[1]!))
    throw new ValueError(
      op,
      `points must be a non-empty (n, dim) array with axis ${axis} < dim, got [${x.shape.join(', ')}]`,
    );
  if (!Number.isFinite(a)) throw new ValueError(op, `lower must be finite, got ${a}`);
  const { nodes, weights } = gaussLegendre(q);
  const [n, d] = [x.shape[0]!, x.shape[1]!];
  const half = new Float64Array(n * q);
  const w = new Float64Array(n * q);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < q; j++) {
      half[i * q + j] = (1 + nodes[j]!) / 2;
      w[i * q + j] = weights[j]! / 2;
    }
  const e = new Float64Array(d);
  e[axis] = 1;
  const cast = (v: Float64Array, shape: number[]) => astype(fromTypedArray(v, shape), x.dtype);
  // every row repeated q times; along `axis` the mapped nodes s = a + (x − a)(1 + ξ)/2
  const xr = reshape(broadcastTo(reshape(x, [n, 1, d]), [n, q, d]), [n * q, d]);
  const xa = column(xr, axis);
  const s = add(a, mul(sub(xa, a), cast(half, [n * q, 1])));
  const xs = add(xr, mul(sub(s, xa), cast(e, [1, d])));
  let f = u(xs);
  if (options.kernel) f = mul(f, options.kernel(xr, s));
  const k = f.shape[1]!;
  const weighted = reshape(mul(f, cast(w, [n * q, 1])), [n, q, k]);
  return mul(sum(weighted, { axis: 1 }), sub(column(x, axis), a));
}
