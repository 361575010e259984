// Initial and boundary conditions as soft (weighted least-squares) loss terms of a physics-informed network.
import {
  type NDArray,
  ValueError,
  add,
  concat,
  fromTypedArray,
  mean,
  mul,
  slice,
  square,
  sub,
} from '@sciml/linalg';
import { type Field, directional } from './derivatives.js';
import type { Geometry } from './geometry.js';

/** Values given as a constant, a function of the points (linalg ops), or an (n, outputs) array. */
export type Values = number | NDArray | ((x: NDArray) => NDArray);

/**
 * A loss term r(u) whose mean square is added to the PINN loss with a weight (a soft constraint; Raissi et
 * al., J. Comput. Phys. 378 (2019) 686–707, eq. 4). `variables` are the inverse problem's unknowns.
 * @public
 */
export interface Condition {
  /** Name of the term in the loss history. */
  readonly name: string;
  /** Weight of the term (default 1). */
  readonly weight?: number;
  /** The residual at this condition's points, (n, k). */
  residual(u: Field, variables: Readonly<Record<string, NDArray>>): NDArray;
}

/** Options shared by the condition constructors. @public */
export interface ConditionOptions {
  /** Name in the loss history (default: the condition's kind). */
  name?: string;
  /** Loss weight (default 1). */
  weight?: number;
  /** Output component the condition constrains (default 0 when the network has one output). */
  component?: number;
}

function valuesAt(v: Values, x: NDArray): NDArray | number {
  return typeof v === 'function' ? v(x) : v;
}

function pick(y: NDArray, component: number | undefined): NDArray {
  if (component === undefined) return y;
  return y.shape[1] === 1 && component === 0
    ? y
    : slice(y, null, { start: component, stop: component + 1 });
}

function checkPoints(op: string, x: NDArray): void {
  if (x.ndim !== 2 || x.shape[0] === 0)
    throw new ValueError(
      op,
      `points must be a non-empty (n, dim) array, got [${x.shape.join(', ')}]`,
    );
}

/**
 * Dirichlet condition u(x) = g(x) at the given points (also an initial condition u(x, t₀) = u₀(x), or
 * observations of the solution in an inverse problem).
 * @public
 */
export function dirichletBC(
  points: NDArray,
  value: Values,
  options: ConditionOptions = {},
): Condition {
  checkPoints('dirichletBC', points);
  return {
    name: options.name ?? 'dirichlet',
    weight: options.weight,
    residual: (u) => sub(pick(u(points), options.component), valuesAt(value, points)),
  };
}

/**
 * Neumann condition ∂u/∂n = g(x) at boundary points, with outward normals from the geometry.
 * @public
 */
export function neumannBC(
  geometry: Geometry,
  points: NDArray,
  value: Values,
  options: ConditionOptions = {},
): Condition {
  checkPoints('neumannBC', points);
  const n = geometry.normals(points);
  return {
    name: options.name ?? 'neumann',
    weight: options.weight,
    residual: (u) =>
      sub(
        directional((x) => pick(u(x), options.component), points, n),
        valuesAt(value, points),
      ),
  };
}

/**
 * Robin condition a·u + b·∂u/∂n = g(x) at boundary points.
 * @public
 */
export function robinBC(
  geometry: Geometry,
  points: NDArray,
  coefficients: { a: number; b: number },
  value: Values,
  options: ConditionOptions = {},
): Condition {
  checkPoints('robinBC', points);
  const n = geometry.normals(points);
  const { a, b } = coefficients;
  return {
    name: options.name ?? 'robin',
    weight: options.weight,
    residual: (u) => {
      const f = (x: NDArray) => pick(u(x), options.component);
      return sub(
        add(mul(a, f(points)), mul(b, directional(f, points, n))),
        valuesAt(value, points),
      );
    },
  };
}

/**
 * Periodic condition u(x_left) = u(x_right) between paired points (row i of each), and, with the
 * `derivative` option set to an axis, also ∂u/∂x_axis equal at the pairs (C¹ periodicity).
 * @public
 */
export function periodicBC(
  left: NDArray,
  right: NDArray,
  options: ConditionOptions & { derivative?: number } = {},
): Condition {
  checkPoints('periodicBC', left);
  checkPoints('periodicBC', right);
  if (left.shape[0] !== right.shape[0] || left.shape[1] !== right.shape[1])
    throw new ValueError(
      'periodicBC',
      `left and right must pair row by row, got [${left.shape.join(', ')}] and [${right.shape.join(', ')}]`,
    );
  const axis = options.derivative;
  let e: NDArray | undefined;
  if (axis !== undefined) {
    const d = left.shape[1]!;
    const data = new Float64Array(left.shape[0]! * d);
    for (let i = 0; i < left.shape[0]!; i++) data[i * d + axis] = 1;
    e = fromTypedArray(data, [left.shape[0]!, d]);
  }
  return {
    name: options.name ?? 'periodic',
    weight: options.weight,
    residual: (u) => {
      const f = (x: NDArray) => pick(u(x), options.component);
      const r = sub(f(left), f(right));
      if (e === undefined) return r;
      const dr = sub(directional(f, left, e), directional(f, right, e));
      return concat([r, dr], { axis: 1 });
    },
  };
}

/** The mean square of a residual (the loss of one term). */
export function meanSquare(r: NDArray): NDArray {
  return mean(square(r));
}
