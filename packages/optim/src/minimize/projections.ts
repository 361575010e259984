import { ValueError } from '@sciml/linalg';
import { norm2 } from '../vector.js';

/** A Euclidean projection onto a closed convex set, in place. */
export type Projection = (x: Float64Array) => Float64Array;

/** Projection onto the box lower ≤ x ≤ upper (scalars or per-coordinate bounds). */
export function projectBox(
  lower: number | ArrayLike<number>,
  upper: number | ArrayLike<number>,
): Projection {
  return (x) => {
    for (let i = 0; i < x.length; i++) {
      const lo = typeof lower === 'number' ? lower : lower[i]!;
      const hi = typeof upper === 'number' ? upper : upper[i]!;
      if (lo > hi)
        throw new ValueError(
          'projectBox',
          `lower bound ${lo} exceeds upper bound ${hi} at index ${i}`,
        );
      x[i] = Math.min(Math.max(x[i]!, lo), hi);
    }
    return x;
  };
}

/**
 * Projection onto the simplex {x ≥ 0, Σx = radius} by sorting (Held, Wolfe & Crowder 1974; Duchi et al. 2008):
 * x ← max(x − θ, 0) with θ chosen so the result sums to the radius.
 */
export function projectSimplex(radius = 1): Projection {
  if (!(radius > 0))
    throw new ValueError('projectSimplex', `radius must be positive, got ${radius}`);
  return (x) => {
    const u = Float64Array.from(x).sort().reverse();
    let cumulative = 0;
    let theta = 0;
    for (let j = 0; j < u.length; j++) {
      cumulative += u[j]!;
      const t = (cumulative - radius) / (j + 1);
      if (u[j]! - t > 0) theta = t;
    }
    for (let i = 0; i < x.length; i++) x[i] = Math.max(x[i]! - theta, 0);
    return x;
  };
}

/** Projection onto the ℓ2 ball ‖x − center‖ ≤ radius. */
export function projectL2Ball(radius = 1, center?: ArrayLike<number>): Projection {
  if (!(radius >= 0))
    throw new ValueError('projectL2Ball', `radius must be non-negative, got ${radius}`);
  return (x) => {
    const d = Float64Array.from(x, (v, i) => v - (center ? center[i]! : 0));
    const nrm = norm2(d);
    if (nrm > radius) {
      for (let i = 0; i < x.length; i++) x[i] = (center ? center[i]! : 0) + (d[i]! * radius) / nrm;
    }
    return x;
  };
}
