/**
 * The function forms of the sparse solvers: ISTA/FISTA on F(x) = f(x) + λ‖x‖₁ + (μ/2)‖x‖² for any smooth f
 * of a pytree, and the LASSO of a residual function r(x), ½‖r(x)‖² + λ‖x‖₁. The iterates live in one flat
 * float64 host vector (`ravelPytree` order), as for `minimize`; the ℓ1 norm is over every entry of the tree.
 */
import { NDArray, ValueError, fromTypedArray, mul, ravel, square, sum } from '@sciml/linalg';
import { autodiffJacobian } from '../autodiff.js';
import { Objective, type ObjectiveFn } from '../objective.js';
import { type FlatParams, flatValueAndGrad, flattenParams, isVectorStart } from '../pytree.js';
import { startVector } from '../start.js';
import { axpy, dot } from '../vector.js';
import { coordinateDescent } from './coordinate-descent.js';
import { type SmoothPart, proximalGradientLoop } from './proximal-core.js';
import { type ProximalOptions, proximalSettings } from './proximal-gradient.js';
import type { SparseOptions, SparseResult } from './problem.js';

function l1(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  return s;
}

/** The start value as a tree (a list of numbers becomes a float64 vector) and its flat view, validated. */
function flatStart<T>(op: string, x0: T): { p: FlatParams<T>; start: Float64Array } {
  const tree = (
    isVectorStart(x0) && !(x0 instanceof NDArray) ? fromTypedArray(Float64Array.from(x0)) : x0
  ) as T;
  const p = flattenParams(op, tree);
  return { p, start: startVector(op, p.x0) };
}

/** f + (μ/2)‖x‖² on the flat vector. */
function withRidge(obj: SmoothPart, l2: number): SmoothPart {
  if (l2 === 0) return obj;
  return {
    value: (x) => obj.value(x) + 0.5 * l2 * dot(x, x),
    valueAndGrad: (x) => {
      const [v, g] = obj.valueAndGrad(x);
      return [v + 0.5 * l2 * dot(x, x), axpy(g, g, l2, x)];
    },
  };
}

/** ISTA/FISTA on f(x) + λ‖x‖₁ + (μ/2)‖x‖² with f a smooth function of a pytree. */
export function compositeTree<T>(
  op: string,
  f: ObjectiveFn<T>,
  x0: T,
  options: ProximalOptions<T>,
  accelerated: boolean,
): SparseResult<T> {
  const { p, start } = flatStart(op, x0);
  const fVec: ObjectiveFn = (x) => f(p.unravel(x));
  const obj = new Objective(start.length, fVec, flatValueAndGrad(op, f, p, options));
  const smooth = withRidge(obj, options.l2 ?? 0);
  const out = proximalGradientLoop(
    smooth,
    start,
    proximalSettings(options, accelerated, p.dtype === 'float32' ? 'float32' : 'float64'),
  );
  return {
    x: p.toTree(out.x),
    objective: smooth.value(out.x) + options.lambda * l1(out.x),
    nit: out.nit,
    success: out.success,
  };
}

/**
 * The design of an affine residual r(x) = Ax − b read off by autodiff (A = ∂r/∂x, b = Ax₀ − r(x₀)) and
 * checked at a second point, so coordinate descent never runs on a residual that is not affine.
 */
function affineDesign(
  op: string,
  rVec: (x: NDArray) => NDArray,
  start: Float64Array,
): { A: NDArray; b: NDArray } {
  const n = start.length;
  const x0 = fromTypedArray(start.slice());
  const J = autodiffJacobian(rVec)(x0);
  const a = Float64Array.from(J.dataSync());
  const m = a.length / n;
  const r0 = rVec(x0).dataSync();
  const single = J.dtype === 'float32';
  const apply = (x: Float64Array) =>
    Float64Array.from({ length: m }, (_, i) => {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      return s;
    });
  const Ax0 = apply(start);
  const b = Float64Array.from(Ax0, (v, i) => v - r0[i]!);
  // a second point, away from x₀ along a fixed irregular direction
  const probe = Float64Array.from(start, (v, j) => v + Math.sin(1.7 * j + 0.3));
  const rp = rVec(fromTypedArray(probe.slice())).dataSync();
  const model = apply(probe);
  let err = 0;
  let scale = 1;
  for (let i = 0; i < m; i++) {
    err = Math.max(err, Math.abs(rp[i]! - (model[i]! - b[i]!)));
    scale = Math.max(scale, Math.abs(rp[i]!), Math.abs(model[i]!), Math.abs(b[i]!));
  }
  if (err > (single ? 1e-4 : 1e-9) * scale)
    throw new ValueError(
      op,
      `solver 'coordinate-descent' needs a residual affine in the parameters (r(x) = Ax − b), but r departs from its linearisation by ${err.toExponential(2)}; use solver: 'fista' for a nonlinear residual`,
    );
  return { A: fromTypedArray(a, [m, n]), b: fromTypedArray(b) };
}

/** `lasso` / `elasticNet` of a residual function: ½‖r(x)‖² + λ‖x‖₁ + (μ/2)‖x‖² over a pytree. */
export function sparseResidualTree<T>(
  op: string,
  residualFn: (params: T) => NDArray,
  x0: T,
  options: Omit<SparseOptions, 'x0'> & { solver?: 'coordinate-descent' | 'fista' | 'ista' },
): SparseResult<T> {
  const solver = options.solver ?? 'fista';
  if (solver === 'coordinate-descent') {
    const { p, start } = flatStart(op, x0);
    const rVec = (x: NDArray) => ravel(residualFn(p.unravel(x)));
    const { A, b } = affineDesign(op, rVec, start);
    const res = coordinateDescent(A, b, { ...options, x0: start });
    return { ...res, x: p.toTree(res.x.dataSync() as Float64Array) };
  }
  if (solver !== 'fista' && solver !== 'ista')
    throw new ValueError(
      op,
      `unknown solver '${String(solver)}'; choose 'coordinate-descent', 'fista' or 'ista'`,
    );
  const f = (t: T) => mul(0.5, sum(square(residualFn(t))));
  return compositeTree(op, f, x0, options, solver === 'fista');
}
