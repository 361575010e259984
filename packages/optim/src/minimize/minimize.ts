import { type FloatDType, type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { autodiffHessVec, autodiffHessian, autodiffValueAndGrad } from '../autodiff.js';
import {
  type GradientFn,
  type HessVecFn,
  type HessianFn,
  Objective,
  type ObjectiveFn,
  type ValueAndGradFn,
  type Evaluations,
  combine,
  runSync,
} from '../objective.js';
import { type FlatParams, flatValueAndGrad, flattenParams, isVectorStart } from '../pytree.js';
import type { OptimizeResult } from '../result.js';
import { startVector } from '../start.js';
import { blindDerivativeMessage, changesAlongProbe$ } from '../stationarity.js';
import { bfgs, checkHessInv0 } from './bfgs.js';
import type { MethodOutcome, MinimizeOptions } from './common.js';
import { conjugateGradient } from './conjugate-gradient.js';
import { gradientDescent } from './gradient-descent.js';
import { lbfgs } from './lbfgs.js';
import { type Bounds, lbfgsb } from './lbfgsb.js';
import { newton } from './newton.js';
import { newtonCG } from './newton-cg.js';
import { projectedGradient } from './projected-gradient.js';
import type { Projection } from './projections.js';
import { BFGS_UPDATES, type BfgsUpdate } from './self-scaling.js';
import { sr1 } from './sr1.js';
import { trustRegion } from './trust-region.js';

/** Methods of `minimize`. */
export type MinimizeMethod =
  | 'gd'
  | 'cg'
  | 'bfgs'
  | 'lbfgs'
  | 'newton'
  | 'sr1'
  | 'projected-gradient'
  | 'newton-cg'
  | 'trust-ncg'
  | 'trust-krylov'
  | 'dogleg'
  | 'trust-exact'
  | 'l-bfgs-b';

/** Methods that use Hessian–vector products (autodiff forward-over-reverse unless `hessp` is given). */
const HESSVEC_METHODS: readonly MinimizeMethod[] = ['newton-cg', 'trust-ncg', 'trust-krylov'];

/** Every method `minimize` accepts: a record, so a method added to the union without a row does not compile. */
const METHOD_ROWS: Record<MinimizeMethod, true> = {
  gd: true,
  cg: true,
  bfgs: true,
  lbfgs: true,
  newton: true,
  sr1: true,
  'projected-gradient': true,
  'newton-cg': true,
  'trust-ncg': true,
  'trust-krylov': true,
  dogleg: true,
  'trust-exact': true,
  'l-bfgs-b': true,
};
const MINIMIZE_METHODS = Object.keys(METHOD_ROWS) as MinimizeMethod[];

/**
 * Options of `minimize`: the method, optional derivatives, tolerances and method-specific settings. `T` is
 * the parameters' type (a vector NDArray, or a pytree): `jac` and `valueAndGrad` take and return it; `hess`,
 * `hessp`, `bounds`, `project` and `callback` work on the flat vector (`ravelPytree` order for a tree).
 */
export interface MinimizeConfig<T = NDArray> extends MinimizeOptions {
  /** Algorithm (default 'lbfgs'; 'projected-gradient' when `project` is given). */
  method?: MinimizeMethod;
  /** ∇f; when omitted (and no `valueAndGrad`), reverse-mode autodiff differentiates f. */
  jac?: GradientFn<T>;
  /** f and ∇f in one call (e.g. `valueAndGrad(f)` from @sciml/autodiff, or hand-written). */
  valueAndGrad?: ValueAndGradFn<T>;
  /** ∇²f for 'newton', 'dogleg' and 'trust-exact' (of the flat vector); when omitted, autodiff computes it. */
  hess?: HessianFn;
  /** ∇²f(x)·v for 'newton-cg', 'trust-ncg', 'trust-krylov' (flat vectors); when omitted, autodiff forward-over-reverse computes it. */
  hessp?: HessVecFn;
  /** Box bounds for 'l-bfgs-b' (chosen by default when given): lower/upper arrays, ±Infinity for none. */
  bounds?: Bounds;
  /** Largest trust radius for the trust-region methods (default 1000 for the Newton ones, 1e3 for 'sr1'). */
  maxRadius?: number;
  /** Acceptance threshold η of the trust-region Newton methods (default 0.15). */
  eta?: number;
  /** Fixed step for 'gd' / 'projected-gradient'. */
  stepSize?: number;
  /** Line search for 'gd' (default 'armijo'). */
  lineSearch?: 'armijo' | 'wolfe';
  /** L-BFGS memory (default 10). */
  memory?: number;
  /**
   * Inverse-Hessian update of 'bfgs' (default 'bfgs'): 'self-scaled-bfgs' or 'self-scaled-broyden' rescale
   * H by τ each step (and, for the latter, pick the Broyden-class φ), the updates with which Urbán, Stefanou
   * & Pons (J. Comput. Phys. 2025) train small PINNs orders of magnitude below L-BFGS's loss.
   */
  bfgsUpdate?: BfgsUpdate;
  /**
   * Starting inverse Hessian of 'bfgs', (n, n) for the flat parameter vector (SciPy's `hess_inv0`): the
   * `hessInv` of an earlier run to warm-start it (symmetric with a positive diagonal; a direction that
   * is not a descent one restarts from the identity). Default: the identity, scaled at the first update.
   */
  hessInv0?: NDArray;
  /** β formula for 'cg'. */
  beta?: 'polak-ribiere+' | 'fletcher-reeves';
  /** Projection onto the feasible set, for 'projected-gradient' (see projectBox / projectSimplex / projectL2Ball). */
  project?: Projection;
  /** Initial trust radius for 'sr1' and the trust-region Newton methods (default 1). */
  radius?: number;
}

/**
 * Minimises a scalar function (SciPy's `minimize`) of a vector or of a pytree of NDArrays (a network's
 * parameters: the result has the start value's structure, shapes and dtypes, float32 included): gradient
 * descent, nonlinear CG, BFGS, L-BFGS, Newton (modified Cholesky), SR1, truncated Newton, trust-region
 * Newton (Steihaug, Lanczos, dogleg, exact Moré–Sorensen), L-BFGS-B or projected gradient. Iterates live in one float64 host
 * vector; gradients and Hessians come from @sciml/autodiff unless given. Failures return `success: false`
 * with a reason, never NaN parameters as success.
 * `f` returns a scalar NDArray built from @sciml/linalg ops (differentiated by autodiff), or a plain number
 * when `jac` or `valueAndGrad` supplies the gradient; a plain number without one is a `ValueError`. A
 * non-finite `x0` is a `NotFiniteError`; `maxIter` must be finite (a fixed step that oscillates between two
 * points stops with `success: false` and says so).
 *
 * @example
 * ```ts
 * const rosen = (x: NDArray) => sum(add(mul(100, square(sub(slice(x, '1:'), square(slice(x, ':-1'))))), square(sub(1, slice(x, ':-1')))));
 * const res = minimize(rosen, array([-1.2, 1]), { method: 'bfgs' });
 * const fit = minimize((p: { a: NDArray; b: NDArray }) => sum(square(sub(p.a, p.b))), { a: ones([2]), b: zeros([2]) });
 * ```
 */
export function minimize(
  f: ObjectiveFn,
  x0: NDArray | ArrayLike<number>,
  config?: MinimizeConfig,
): OptimizeResult;
export function minimize<T>(
  f: ObjectiveFn<T>,
  x0: T,
  config?: MinimizeConfig<T>,
): OptimizeResult<T>;
export function minimize<T>(
  f: ObjectiveFn<T>,
  x0: T | ArrayLike<number>,
  config: MinimizeConfig<T> = {},
): OptimizeResult<T> {
  if (isVectorStart(x0)) {
    return minimizeVector(
      f as unknown as ObjectiveFn,
      x0,
      config as unknown as MinimizeConfig,
    ) as unknown as OptimizeResult<T>;
  }
  return minimizeTree(f, x0 as T, config);
}

/** `minimize` over a pytree: the vector methods on its `ravelPytree` vector, results unraveled. */
function minimizeTree<T>(f: ObjectiveFn<T>, x0: T, config: MinimizeConfig<T>): OptimizeResult<T> {
  const p = flattenParams('minimize', x0);
  const fVec: ObjectiveFn = (x) => f(p.unravel(x));
  const toFlat = (g: T | ArrayLike<number>) => (isVectorStart(g) ? g : p.toHost(g as T));
  const { jac } = config;
  const res = minimizeVector(
    fVec,
    p.x0,
    {
      ...config,
      jac: jac && !config.valueAndGrad ? (x) => toFlat(jac(p.unravel(x))) : undefined,
      valueAndGrad: flatValueAndGrad('minimize', f, p, config),
      ...treeSecondOrder(f, p, config),
    },
    valueSlack(p.dtype),
  );
  return {
    ...res,
    x: p.toTree(res.x.dataSync() as Float64Array),
    grad: p.toTree(res.grad.dataSync() as Float64Array),
  };
}

/** {@link Objective.valueSlack} for parameters of this dtype: ~8 ulps of float32, 0 for float64. */
export function valueSlack(dtype: FloatDType): number {
  return dtype === 'float32' ? 8 * 2 ** -24 : 0;
}

/** The options that choose the method. */
type MethodChoice = Pick<MinimizeConfig, 'method' | 'project' | 'bounds'>;

export function methodOf(config: MethodChoice): MinimizeMethod {
  return (
    config.method ?? (config.project ? 'projected-gradient' : config.bounds ? 'l-bfgs-b' : 'lbfgs')
  );
}

/**
 * The Hessian (for 'newton', 'dogleg', 'trust-exact') or Hessian–vector product (the Krylov methods) of a tree objective
 * as functions of the flat host vector: the user's when given, else autodiff (forward-over-reverse) of f
 * through one flat array uploaded to the tree's backend in its dtype — computed where the parameters live (a
 * GPU's included), so `minimize` and `minimizeAsync` share it and take the same iterates.
 */
export function treeSecondOrder<T>(
  f: ObjectiveFn<T>,
  p: FlatParams<T>,
  config: MinimizeConfig<T>,
): { hess: HessianFn | undefined; hessp: HessVecFn | undefined } {
  const fFlat = (v: NDArray) => f(p.unravelFlat(v));
  const host = (x: NDArray) => x.dataSync() as Float64Array;
  let hess = config.hess;
  if (!hess && needsHessian(config)) {
    const h = autodiffHessian(fFlat);
    hess = (x) => h(p.upload(host(x)));
  }
  let hessp = config.hessp;
  if (!hessp && needsHessVec(config)) {
    const hv = autodiffHessVec(fFlat);
    hessp = (x, v) => hv(p.upload(host(x)), p.upload(host(v)));
  }
  return { hess, hessp };
}

function needsHessian(config: MethodChoice): boolean {
  const m = methodOf(config);
  return m === 'newton' || m === 'dogleg' || m === 'trust-exact';
}

function needsHessVec(config: MethodChoice): boolean {
  return HESSVEC_METHODS.includes(methodOf(config));
}

/** `minimize` on a vector. */
function minimizeVector(
  f: ObjectiveFn,
  x0: NDArray | ArrayLike<number>,
  config: MinimizeConfig,
  slack = 0,
): OptimizeResult {
  const start = startVector('minimize', x0);
  const method = methodOf(config as MethodChoice);
  const vg = config.valueAndGrad ?? (config.jac ? combine(f, config.jac) : autodiffValueAndGrad(f));
  const hess = needsHessian(config as MethodChoice)
    ? (config.hess ?? autodiffHessian(f))
    : config.hess;
  const hessp = needsHessVec(config as MethodChoice)
    ? (config.hessp ?? autodiffHessVec(f))
    : config.hessp;
  const obj = new Objective(
    start.length,
    f,
    vg,
    hess,
    config.valueAndGrad ? undefined : config.jac,
    hessp,
  );
  obj.valueSlack = slack;
  const out = runSync(methodSteps(method, obj, start, config), obj);
  return runSync(finish$(out, obj, start), obj);
}

/**
 * The coroutine of a method: every method is written once over evaluation requests (f, ∇f, ∇²f·v, ∇²f), so
 * `minimize` answers them synchronously and `minimizeAsync` through the backend's asynchronous reads, with
 * the same iterates.
 */
export function methodSteps(
  method: MinimizeMethod,
  obj: Objective,
  start: Float64Array,
  config: Omit<MinimizeConfig<unknown>, 'jac' | 'valueAndGrad'>,
): Evaluations<MethodOutcome> {
  switch (method) {
    case 'gd':
      return gradientDescent(obj, start, config);
    case 'cg':
      return conjugateGradient(obj, start, config);
    case 'bfgs': {
      const u = config.bfgsUpdate;
      if (u !== undefined && !BFGS_UPDATES.includes(u))
        throw new ValueError(
          'minimize',
          `unknown bfgsUpdate '${String(u)}'; choose one of ${BFGS_UPDATES.map((m) => `'${m}'`).join(', ')}`,
        );
      const h0 = config.hessInv0 && checkHessInv0('minimize', config.hessInv0, start.length);
      return bfgs(obj, start, { ...config, hessInv0: h0 });
    }
    case 'lbfgs':
      return lbfgs(obj, start, config);
    case 'l-bfgs-b':
      return lbfgsb(obj, start, config);
    case 'projected-gradient':
      if (!config.project)
        throw new ValueError('minimize', "method 'projected-gradient' needs a `project` option");
      return projectedGradient(obj, start, { ...config, project: config.project });
    case 'newton':
      return newton(obj, start, config);
    case 'sr1':
      return sr1(obj, start, config);
    case 'newton-cg':
      return newtonCG(obj, start, config);
    case 'trust-ncg':
      return trustRegion(obj, start, 'steihaug', config);
    case 'trust-krylov':
      return trustRegion(obj, start, 'lanczos', config);
    case 'dogleg':
      return trustRegion(obj, start, 'dogleg', config);
    case 'trust-exact':
      return trustRegion(obj, start, 'exact', config);
    default:
      throw new ValueError(
        'minimize',
        `unknown method '${String(method)}'; choose one of ${MINIMIZE_METHODS.map((m) => `'${m}'`).join(', ')}`,
      );
  }
}

/**
 * The result of a run: a success at the start with a gradient of exact zeros is checked once against f
 * (a derivative blind to x would otherwise report success at x0), and non-finite values are failures.
 */
export function* finish$(
  outcome: MethodOutcome,
  obj: Objective,
  start: Float64Array,
): Evaluations<OptimizeResult> {
  let out = outcome;
  const finite = Number.isFinite(out.f) && out.x.every(Number.isFinite);
  if (out.success && out.g.every((v) => v === 0) && out.x.every((v, i) => v === start[i])) {
    const change = yield* changesAlongProbe$(function* (x) {
      return [yield* obj.value$(x)];
    }, start);
    if (change !== undefined) {
      out = { ...out, success: false, message: blindDerivativeMessage('gradient', change) };
    }
  }
  return {
    x: fromTypedArray(out.x.slice()),
    fun: out.f,
    grad: fromTypedArray(out.g.slice()),
    nit: out.nit,
    nfev: obj.nfev,
    ngev: obj.ngev,
    nhev: obj.nhev,
    success: out.success && finite,
    message: finite ? out.message : 'non-finite objective or gradient encountered',
    ...(out.hessInv
      ? { hessInv: fromTypedArray(out.hessInv.slice(), [start.length, start.length]) }
      : {}),
  };
}
