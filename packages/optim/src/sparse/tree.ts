/**
 * The function forms of the sparse solvers: ISTA/FISTA on F(x) = f(x) + λ‖x‖₁ + (μ/2)‖x‖² for any smooth f
 * of a pytree, and the LASSO of a residual function r(x), ½‖r(x)‖² + λ‖x‖₁. The iterates live in one flat
 * float64 host vector (`ravelPytree` order), as for `minimize`; the ℓ1 norm is over every entry of the tree.
 * Each has an async twin for leaves on any backend (a GPU's), with the same iterates.
 */
import {
  type FloatDType,
  NDArray,
  ValueError,
  fromTypedArray,
  mul,
  ravel,
  scope,
  square,
  sum,
} from '@sciml/linalg';
import { autodiffJacobian } from '../autodiff.js';
import { type Evaluations, Objective, type ObjectiveFn, runAsync, runSync } from '../objective.js';
import {
  type FlatParams,
  flatValueAndGrad,
  flattenParams,
  flattenParamsAsync,
  isVectorStart,
} from '../pytree.js';
import { startVector } from '../start.js';
import { axpy, dot } from '../vector.js';
import { coordinateDescent } from './coordinate-descent.js';
import { type SmoothSteps, proximalGradient$ } from './proximal-core.js';
import { type ProximalOptions, proximalSettings } from './proximal-gradient.js';
import type { SparseOptions, SparseResult } from './problem.js';

function l1(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  return s;
}

/** The start value as a tree: a list of numbers becomes a float64 vector. */
function asTree<T>(x0: T): T {
  return (
    isVectorStart(x0) && !(x0 instanceof NDArray) ? fromTypedArray(Float64Array.from(x0)) : x0
  ) as T;
}

/** The start value's flat view, validated (leaves read synchronously). */
function flatStart<T>(op: string, x0: T): { p: FlatParams<T>; start: Float64Array } {
  const p = flattenParams(op, asTree(x0));
  return { p, start: startVector(op, p.x0) };
}

/** The start value's flat view, validated; its leaves (a GPU's included) read asynchronously. */
async function flatStartAsync<T>(
  op: string,
  x0: T,
): Promise<{ p: FlatParams<T>; start: Float64Array }> {
  const p = await flattenParamsAsync(asTree(x0));
  return { p, start: startVector(op, p.x0) };
}

/** f + (μ/2)‖x‖² on the flat vector (the ridge term on the host, in float64). */
function withRidge(obj: SmoothSteps, l2: number): SmoothSteps {
  if (l2 === 0) return obj;
  return {
    *value$(x) {
      return (yield* obj.value$(x)) + 0.5 * l2 * dot(x, x);
    },
    *valueAndGrad$(x) {
      const [v, g] = yield* obj.valueAndGrad$(x);
      return [v + 0.5 * l2 * dot(x, x), axpy(g, g, l2, x)];
    },
  };
}

/** The objective of a tree start on its flat vector: f and ∇f where the leaves live (autodiff unless given). */
function treeObjective<T>(
  op: string,
  f: ObjectiveFn<T>,
  p: FlatParams<T>,
  n: number,
  options: ProximalOptions<T>,
): Objective {
  const fVec: ObjectiveFn = (x) => f(p.unravel(x));
  return new Objective(n, fVec, flatValueAndGrad(op, f, p, options));
}

/** ISTA/FISTA and then F at the answer, as one coroutine over evaluations of f. */
function* composite$<T>(
  obj: Objective,
  start: Float64Array,
  options: ProximalOptions<T>,
  accelerated: boolean,
  dtype: FloatDType,
): Evaluations<{ x: Float64Array; objective: number; nit: number; success: boolean }> {
  const smooth = withRidge(obj, options.l2 ?? 0);
  const out = yield* proximalGradient$(
    smooth,
    start,
    proximalSettings(options, accelerated, dtype === 'float32' ? 'float32' : 'float64'),
  );
  const objective = (yield* smooth.value$(out.x)) + options.lambda * l1(out.x);
  return { x: out.x, objective, nit: out.nit, success: out.success };
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
  const obj = treeObjective(op, f, p, start.length, options);
  const out = runSync(composite$(obj, start, options, accelerated, p.dtype), obj);
  return { ...out, x: p.toTree(out.x) };
}

/**
 * {@link compositeTree} for a tree on any backend, a GPU's included: f and ∇f are computed where the leaves
 * live and read asynchronously, once per evaluation; the same iterates.
 */
export async function compositeTreeAsync<T>(
  op: string,
  f: ObjectiveFn<T>,
  x0: T,
  options: ProximalOptions<T>,
  accelerated: boolean,
): Promise<SparseResult<T>> {
  const { p, start } = await flatStartAsync(op, x0);
  const obj = treeObjective(op, f, p, start.length, options);
  const out = await runAsync(composite$(obj, start, options, accelerated, p.dtype), obj);
  return { ...out, x: p.toTree(out.x) };
}

/** A second point, away from x₀ along a fixed irregular direction, where the linearisation is checked. */
function probePoint(start: Float64Array): Float64Array {
  return Float64Array.from(start, (v, j) => v + Math.sin(1.7 * j + 0.3));
}

/**
 * The design of an affine residual r(x) = Ax − b read off by autodiff (A = ∂r/∂x = J, b = Ax₀ − r(x₀)) and
 * checked at a second point (where r is `rp`), so coordinate descent never runs on a residual that is not
 * affine.
 */
function affineDesign(
  op: string,
  read: { J: ArrayLike<number>; r0: ArrayLike<number>; rp: ArrayLike<number>; single: boolean },
  start: Float64Array,
): { A: NDArray; b: NDArray } {
  const n = start.length;
  const a = Float64Array.from(read.J);
  const m = a.length / n;
  const { r0, rp } = read;
  const apply = (x: Float64Array) =>
    Float64Array.from({ length: m }, (_, i) => {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      return s;
    });
  const Ax0 = apply(start);
  const b = Float64Array.from(Ax0, (v, i) => v - r0[i]!);
  const model = apply(probePoint(start));
  let err = 0;
  let scale = 1;
  for (let i = 0; i < m; i++) {
    err = Math.max(err, Math.abs(rp[i]! - (model[i]! - b[i]!)));
    scale = Math.max(scale, Math.abs(rp[i]!), Math.abs(model[i]!), Math.abs(b[i]!));
  }
  if (err > (read.single ? 1e-4 : 1e-9) * scale)
    throw new ValueError(
      op,
      `solver 'coordinate-descent' needs a residual affine in the parameters (r(x) = Ax − b), but r departs from its linearisation by ${err.toExponential(2)}; use solver: 'fista' for a nonlinear residual`,
    );
  return { A: fromTypedArray(a, [m, n]), b: fromTypedArray(b) };
}

/** The solver of the residual form, checked ('fista' by default). */
function residualSolver(
  op: string,
  options: { solver?: string },
): 'coordinate-descent' | 'fista' | 'ista' {
  const solver = options.solver ?? 'fista';
  if (solver !== 'coordinate-descent' && solver !== 'fista' && solver !== 'ista')
    throw new ValueError(
      op,
      `unknown solver '${String(solver)}'; choose 'coordinate-descent', 'fista' or 'ista'`,
    );
  return solver;
}

/** Options of the residual form of `lasso` / `elasticNet` over a pytree. */
type ResidualTreeOptions = Omit<SparseOptions, 'x0'> & {
  solver?: 'coordinate-descent' | 'fista' | 'ista';
};

/** `lasso` / `elasticNet` of a residual function: ½‖r(x)‖² + λ‖x‖₁ + (μ/2)‖x‖² over a pytree. */
export function sparseResidualTree<T>(
  op: string,
  residualFn: (params: T) => NDArray,
  x0: T,
  options: ResidualTreeOptions,
): SparseResult<T> {
  const solver = residualSolver(op, options);
  if (solver === 'coordinate-descent') {
    const { p, start } = flatStart(op, x0);
    const rVec = (x: NDArray) => ravel(residualFn(p.unravel(x)));
    const x = fromTypedArray(start.slice());
    const J = autodiffJacobian(rVec)(x);
    const read = {
      J: J.dataSync(),
      r0: rVec(x).dataSync(),
      rp: rVec(fromTypedArray(probePoint(start))).dataSync(),
      single: J.dtype === 'float32',
    };
    const { A, b } = affineDesign(op, read, start);
    const res = coordinateDescent(A, b, { ...options, x0: start });
    return { ...res, x: p.toTree(res.x.dataSync() as Float64Array) };
  }
  const f = (t: T) => mul(0.5, sum(square(residualFn(t))));
  return compositeTree(op, f, x0, options, solver === 'fista');
}

/**
 * {@link sparseResidualTree} for a tree on any backend: FISTA/ISTA read f and ∇f asynchronously; coordinate
 * descent reads the residual's Jacobian (autodiff where the leaves live) once, then runs on the host.
 */
export async function sparseResidualTreeAsync<T>(
  op: string,
  residualFn: (params: T) => NDArray,
  x0: T,
  options: ResidualTreeOptions,
): Promise<SparseResult<T>> {
  const solver = residualSolver(op, options);
  if (solver === 'coordinate-descent') {
    const { p, start } = await flatStartAsync(op, x0);
    // r of one flat array on the leaves' backend, so autodiff sees every op there
    const rFlat = (v: NDArray) => ravel(residualFn(p.unravelFlat(v)));
    const read = await scope(async () => {
      const J = autodiffJacobian(rFlat)(p.upload(start));
      const [j, r0, rp] = await Promise.all([
        J.data(),
        rFlat(p.upload(start)).data(),
        rFlat(p.upload(probePoint(start))).data(),
      ]);
      return { J: j, r0, rp, single: J.dtype === 'float32' };
    });
    const { A, b } = affineDesign(op, read, start);
    const res = coordinateDescent(A, b, { ...options, x0: start });
    return { ...res, x: p.toTree(res.x.dataSync() as Float64Array) };
  }
  const f = (t: T) => mul(0.5, sum(square(residualFn(t))));
  return compositeTreeAsync(op, f, x0, options, solver === 'fista');
}
