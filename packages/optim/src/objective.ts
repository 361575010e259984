import { type NDArray, NotFiniteError, ValueError, fromTypedArray, scope } from '@sciml/linalg';
import { allFinite } from './vector.js';

/**
 * An objective: takes the parameters — a 1-D float64 NDArray, or a pytree shaped like the start value —
 * and returns a scalar NDArray or a number.
 */
export type ObjectiveFn<T = NDArray> = (x: T) => NDArray | number;

/** A gradient function: returns ∇f(x) shaped like x (a 1-D NDArray or anything array-like for vectors). */
export type GradientFn<T = NDArray> = (x: T) => T | ArrayLike<number>;

/** A Hessian function: returns ∇²f(x) as an n×n NDArray (or a row-major array of n² numbers). */
export type HessianFn = (x: NDArray) => NDArray | ArrayLike<number>;

/** A Hessian–vector product (x, v) ↦ ∇²f(x)·v (SciPy's `hessp`), returned as a 1-D NDArray or array-like. */
export type HessVecFn = (x: NDArray, v: NDArray) => NDArray | ArrayLike<number>;

/** Computes f and ∇f together (e.g. from autodiff's valueAndGrad); ∇f is shaped like x. */
export type ValueAndGradFn<T = NDArray> = (x: T) => [NDArray | number, T | ArrayLike<number>];

function toNumber(v: NDArray | number): number {
  return typeof v === 'number' ? v : v.item();
}

function isArray(v: unknown): v is NDArray {
  return typeof (v as NDArray).dataSync === 'function';
}

function toVector(op: string, v: NDArray | ArrayLike<number>, n: number): Float64Array {
  const data = isArray(v) ? v.dataSync() : (v as ArrayLike<number>);
  if (data.length !== n) throw new ValueError(op, `expected ${n} values, got ${data.length}`);
  return Float64Array.from(data as ArrayLike<number>);
}

/** `toNumber` through the backend's asynchronous read (GPU arrays). */
async function toNumberAsync(v: NDArray | number): Promise<number> {
  if (typeof v === 'number') return v;
  const data = await v.data();
  if (data.length !== 1)
    throw new ValueError('minimize', `f must return a scalar, got ${data.length} values`);
  return Number(data[0]);
}

/** `toVector` through the backend's asynchronous read (GPU arrays). */
async function toVectorAsync(
  op: string,
  v: NDArray | ArrayLike<number>,
  n: number,
): Promise<Float64Array> {
  return toVector(op, isArray(v) ? ((await v.data()) as ArrayLike<number>) : v, n);
}

/**
 * An evaluation a method asks for at a flat point. The first-order methods are written as coroutines that
 * yield these requests, so one implementation runs synchronously (`runSync`, CPU values) or awaits each
 * read (`runAsync`, values on a GPU), with the same iterates and counts.
 */
export type EvalRequest =
  | { readonly kind: 'value'; readonly x: Float64Array }
  | { readonly kind: 'valueAndGrad'; readonly x: Float64Array }
  | { readonly kind: 'gradient'; readonly x: Float64Array }
  | { readonly kind: 'hessVec'; readonly x: Float64Array; readonly v: Float64Array }
  | { readonly kind: 'hessian'; readonly x: Float64Array };

/** The answer to an {@link EvalRequest}: f, [f, ∇f], ∇f, ∇²f·v or ∇²f (row-major n×n). */
export type EvalReply = number | readonly [number, Float64Array] | Float64Array;

/** A method (or line search) as a coroutine over evaluations, returning R. */
export type Evaluations<R> = Generator<EvalRequest, R, EvalReply>;

/** Runs a coroutine, answering each request synchronously. */
export function runSync<R>(steps: Evaluations<R>, obj: Objective): R {
  let next = steps.next();
  while (!next.done) next = steps.next(obj.answer(next.value));
  return next.value;
}

/**
 * Runs a coroutine, answering each request through the backend's asynchronous reads. Each evaluation runs in
 * its own `scope`, so its temporaries (on a GPU: the uploaded point, the tape, the gradient) are freed as soon
 * as its values have been read.
 */
export async function runAsync<R>(steps: Evaluations<R>, obj: Objective): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    const req = next.value;
    next = steps.next(await scope(() => obj.answerAsync(req)));
  }
  return next.value;
}

/**
 * Runs a coroutine that asks for no evaluation (host arithmetic written once for both callers, e.g. a
 * trust-region subproblem given a dense matrix): its result, or an internal error if it asks.
 */
export function runLocal<R>(steps: Evaluations<R>): R {
  const next = steps.next();
  if (!next.done) throw new Error(`internal: a local computation asked for '${next.value.kind}'`);
  return next.value;
}

/**
 * A counted objective on flat float64 vectors: wraps user functions (which see NDArrays) and counts
 * evaluations, as SciPy reports nfev/njev.
 */
export class Objective {
  /** Objective evaluations so far. */
  nfev = 0;
  /** Gradient evaluations so far. */
  ngev = 0;
  /** Hessian evaluations so far. */
  nhev = 0;
  /** Number of variables. */
  readonly n: number;
  /**
   * Relative rounding level of f's values (default 0, for float64 objectives): the line searches accept a
   * trial point whose f exceeds the sufficient-decrease bound by at most `valueSlack·|f|`, and judge it by
   * its slope. `minimize` sets about 8 ulps (8·2⁻²⁴) for float32 parameters, whose f cannot show the last
   * decreases before the optimum (Hager & Zhang 2005, approximate Wolfe conditions).
   */
  valueSlack = 0;
  readonly #f: ObjectiveFn;
  readonly #valueAndGrad: ValueAndGradFn;
  readonly #hess: HessianFn | undefined;
  readonly #grad: GradientFn | undefined;
  readonly #hessp: HessVecFn | undefined;

  /**
   * Wraps f, its value-and-gradient and (optionally) its Hessian for vectors of length n. A separate
   * gradient function lets `gradient(x)` skip re-evaluating f where f(x) is already known. `hessp` gives
   * Hessian–vector products for the truncated-Newton and trust-region Krylov methods.
   */
  constructor(
    n: number,
    f: ObjectiveFn,
    valueAndGrad: ValueAndGradFn,
    hess?: HessianFn,
    grad?: GradientFn,
    hessp?: HessVecFn,
  ) {
    this.n = n;
    this.#f = f;
    this.#valueAndGrad = valueAndGrad;
    this.#hess = hess;
    this.#grad = grad;
    this.#hessp = hessp;
  }

  /** ∇f(x) alone (f is evaluated too, and counted, only when no separate gradient function exists). */
  gradient(x: Float64Array): Float64Array {
    if (!this.#grad) return this.valueAndGrad(x)[1];
    this.ngev++;
    return toVector('gradient', this.#grad(Objective.wrap(x)), this.n);
  }

  /** Wraps a vector as a fresh NDArray (a copy: user code may keep it). */
  static wrap(x: Float64Array): NDArray {
    return fromTypedArray(x.slice());
  }

  /** f(x). */
  value(x: Float64Array): number {
    this.nfev++;
    return toNumber(this.#f(Objective.wrap(x)));
  }

  /** [f(x), ∇f(x)]; counts one evaluation of each. */
  valueAndGrad(x: Float64Array): [number, Float64Array] {
    this.nfev++;
    this.ngev++;
    const [v, g] = this.#valueAndGrad(Objective.wrap(x));
    return [toNumber(v), toVector('gradient', g, this.n)];
  }

  /** f(x) requested from a coroutine. */
  *value$(x: Float64Array): Evaluations<number> {
    return (yield { kind: 'value', x }) as number;
  }

  /** [f(x), ∇f(x)] requested from a coroutine. */
  *valueAndGrad$(x: Float64Array): Evaluations<[number, Float64Array]> {
    return (yield { kind: 'valueAndGrad', x }) as [number, Float64Array];
  }

  /** ∇f(x) requested from a coroutine. */
  *gradient$(x: Float64Array): Evaluations<Float64Array> {
    return (yield { kind: 'gradient', x }) as Float64Array;
  }

  /** ∇²f(x)·v requested from a coroutine. */
  *hessVec$(x: Float64Array, v: Float64Array): Evaluations<Float64Array> {
    return (yield { kind: 'hessVec', x, v }) as Float64Array;
  }

  /** ∇²f(x) (row-major n×n) requested from a coroutine. */
  *hessian$(x: Float64Array): Evaluations<Float64Array> {
    return (yield { kind: 'hessian', x }) as Float64Array;
  }

  /** Answers a request synchronously. */
  answer(req: EvalRequest): EvalReply {
    switch (req.kind) {
      case 'value':
        return this.value(req.x);
      case 'gradient':
        return this.gradient(req.x);
      case 'hessVec':
        return this.hessVec(req.x, req.v);
      case 'hessian':
        return this.hessian(req.x);
      default:
        return this.valueAndGrad(req.x);
    }
  }

  /** Answers a request, reading values through the backend's asynchronous reads. */
  async answerAsync(req: EvalRequest): Promise<EvalReply> {
    const x = Objective.wrap(req.x);
    if (req.kind === 'hessVec') {
      const hessp = this.#needHessVec();
      this.nhev++;
      return checkedFinite(
        'hessVec',
        await toVectorAsync('hessVec', hessp(x, Objective.wrap(req.v)), this.n),
      );
    }
    if (req.kind === 'hessian') {
      const hess = this.#needHessian();
      this.nhev++;
      return checkedFinite('hessian', await toVectorAsync('hessian', hess(x), this.n * this.n));
    }
    if (req.kind === 'value') {
      this.nfev++;
      return toNumberAsync(this.#f(x));
    }
    if (req.kind === 'gradient' && this.#grad) {
      this.ngev++;
      return toVectorAsync('gradient', this.#grad(x), this.n);
    }
    this.nfev++;
    this.ngev++;
    const [v, g] = this.#valueAndGrad(x);
    const [value, grad] = await Promise.all([
      toNumberAsync(v),
      toVectorAsync('gradient', g, this.n),
    ]);
    return req.kind === 'gradient' ? grad : [value, grad];
  }

  /** Whether a Hessian is available. */
  get hasHessian(): boolean {
    return this.#hess !== undefined;
  }

  /** Whether Hessian–vector products are available. */
  get hasHessVec(): boolean {
    return this.#hessp !== undefined;
  }

  #needHessVec(): HessVecFn {
    if (!this.#hessp)
      throw new ValueError('hessVec', 'no Hessian–vector product function was given');
    return this.#hessp;
  }

  #needHessian(): HessianFn {
    if (!this.#hess) throw new ValueError('hessian', 'no Hessian function was given');
    return this.#hess;
  }

  /** ∇²f(x)·v; counted in `nhev`, as SciPy counts `hessp` calls. */
  hessVec(x: Float64Array, v: Float64Array): Float64Array {
    const hessp = this.#needHessVec();
    this.nhev++;
    return checkedFinite(
      'hessVec',
      toVector('hessVec', hessp(Objective.wrap(x), Objective.wrap(v)), this.n),
    );
  }

  /** ∇²f(x) as a row-major n×n Float64Array. */
  hessian(x: Float64Array): Float64Array {
    const hess = this.#needHessian();
    this.nhev++;
    return checkedFinite('hessian', toVector('hessian', hess(Objective.wrap(x)), this.n * this.n));
  }
}

/** `values`, after checking that every entry is finite (a Hessian or a product with one). */
function checkedFinite(op: 'hessVec' | 'hessian', values: Float64Array): Float64Array {
  if (!allFinite(values))
    throw new NotFiniteError(
      op,
      op === 'hessian'
        ? 'the Hessian has non-finite entries'
        : 'the Hessian–vector product has non-finite entries',
    );
  return values;
}

/** Combines separate f and ∇f functions into a valueAndGrad function. */
export function combine(f: ObjectiveFn, grad: GradientFn): ValueAndGradFn {
  return (x) => [f(x), grad(x)];
}
