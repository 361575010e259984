// Input derivatives of a network u(x) at a batch of points, of any order, by nested forward mode: the rows
// of x are independent, so one jvp with tangent e_i in every row gives ∂u/∂x_i at all points at once.
import { jvp } from '@sciml/autodiff';
import { type NDArray, ValueError, astype, fromTypedArray, keep } from '@sciml/linalg';

/**
 * A field on a batch of points: (n, dim) → (n, outputs), each row depending on its own input row only
 * (a network applied row-wise).
 * @public
 */
export type Field = (x: NDArray) => NDArray;

// The tangents e_axis in every row, one array per dtype, shape and axis, kept (the few most recent): every
// tangent along an axis is then the same array, so under `jit` (which captures it as one constant) the u_x of
// u_t + u·u_x and the inner u_x of u_xx's nested jvp are the same equations, which common-subexpression
// elimination computes once.
const tangents = new Map<string, NDArray>();
const KEPT_TANGENTS = 16;

/** The tangent e_axis in every row of an (n, d) batch. */
function basis(x: NDArray, axis: number): NDArray {
  const [n, d] = x.shape as [number, number];
  const key = `${x.dtype}|${n}|${d}|${axis}`;
  let t = tangents.get(key);
  if (t === undefined) {
    const e = new Float64Array(n * d);
    for (let i = axis; i < e.length; i += d) e[i] = 1;
    // in x's dtype, so that a float32 network gets float32 tangents
    t = keep(astype(fromTypedArray(e, [n, d]), x.dtype));
    if (tangents.size >= KEPT_TANGENTS) tangents.delete(tangents.keys().next().value!);
    tangents.set(key, t);
  }
  return t;
}

/**
 * The partial derivative ∂^k f / ∂x_{a₁}…∂x_{a_k} of a row-wise field, as a new field, by k nested
 * forward-mode passes (mixed partials in any order; each pass doubles the work, so order k costs ~2^k
 * forward evaluations). Differentiable again by `grad` with respect to the network's parameters, which
 * is how a PINN's residual loss is trained (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019)
 * 686–707).
 * @public
 */
export function partial(f: Field, axes: readonly number[]): Field {
  let g = f;
  for (const a of axes) {
    if (!Number.isSafeInteger(a) || a < 0)
      throw new ValueError(
        'partial',
        `axes must be non-negative integers, got [${axes.join(', ')}]`,
      );
    const h = g;
    g = (x) => {
      if (x.ndim !== 2 || a >= x.shape[1]!)
        throw new ValueError(
          'partial',
          `points must be (n, d) with d > ${a} to differentiate along axis ${a}, got [${x.shape.join(', ')}]`,
        );
      return jvp(h, [x], [basis(x, a)])[1];
    };
  }
  return g;
}

/**
 * The directional derivative ∇f(x)·v(x) at every row (v an (n, d) array, e.g. outward normals for a
 * Neumann condition), by one forward-mode pass.
 * @public
 */
export function directional(f: Field, x: NDArray, v: NDArray): NDArray {
  return jvp(f, [x], [v])[1];
}

/**
 * Derivatives of the solution at the collocation points, computed on demand and cached within one loss
 * evaluation: `D.u` is u(x), `D.d(0)` is ∂u/∂x₀, `D.d(0, 0)` is ∂²u/∂x₀², `D.d(0, 1)` the mixed partial.
 * @public
 */
export interface Derivatives {
  /** The points, (n, dim). */
  readonly x: NDArray;
  /** u(x), (n, outputs). */
  readonly u: NDArray;
  /** ∂^k u/∂x_{a₁}…∂x_{a_k} at x (axes sorted, so d(0, 1) and d(1, 0) share one computation). */
  d(...axes: number[]): NDArray;
  /** The solution as a field (for custom operators). */
  readonly field: Field;
}

/** Builds the lazily cached {@link Derivatives} of `field` at `x`. */
export function derivativesAt(field: Field, x: NDArray): Derivatives {
  const cache = new Map<string, NDArray>();
  let u: NDArray | undefined;
  return {
    x,
    field,
    get u() {
      u ??= field(x);
      return u;
    },
    d(...axes) {
      if (axes.length === 0) return this.u;
      const key = [...axes].sort((p, q) => p - q).join(',');
      let v = cache.get(key);
      if (v === undefined) {
        v = partial(
          field,
          [...axes].sort((p, q) => p - q),
        )(x);
        cache.set(key, v);
      }
      return v;
    },
  };
}
