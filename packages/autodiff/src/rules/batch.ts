/**
 * Batching (vmap) rules of every primitive, typed over the whole `Primitive` union like the JVP/VJP tables.
 * A rule receives operands whose batch axis is at the front (axis 0) or absent (`null`: the same for every
 * example) and applies the primitive to the whole batch at once, returning where the batch axis of each
 * output lies. Rules are written with `bind`, so they run on any backend and under any outer transform.
 */
import {
  type NDArray,
  type Primitive,
  type PrimitiveParams,
  bind,
  shapesEqual,
} from '@sciml/linalg';
import { complexBatchRules } from './complex.js';

/** The batch axis of an operand or result, or `null` when it has none. @public */
export type BatchDim = number | null;

/**
 * Batching rule of primitive `P`: operands batched along axis 0 (`dims[i] === 0`) or unbatched (`null`), the
 * batch size, and the primitive's parameters (those of one example) → the batched results and their batch
 * axes. @public
 */
export type BatchRule<P extends Primitive> = (
  args: readonly NDArray[],
  dims: readonly BatchDim[],
  params: PrimitiveParams<P>,
  size: number,
) => { readonly outs: readonly NDArray[]; readonly dims: readonly BatchDim[] };

const one = (x: NDArray): { outs: NDArray[]; dims: BatchDim[] } => ({ outs: [x], dims: [0] });
const reshape = (x: NDArray, shape: readonly number[]): NDArray =>
  shapesEqual(x.shape, shape) ? x : bind('reshape', [x], { shape: [...shape] })[0]!;

/** A batched operand with the batch axis first and `lead` size-1 axes after it (rank alignment). */
function withUnitAxes(x: NDArray, lead: number): NDArray {
  if (lead === 0) return x;
  return reshape(x, [x.shape[0]!, ...new Array<number>(lead).fill(1), ...x.shape.slice(1)]);
}

/**
 * Operands of a broadcasting primitive, aligned so NumPy broadcasting pairs each example with itself: every
 * batched operand gets size-1 axes after its batch axis up to the largest per-example rank, and unbatched
 * operands (rank at most that) broadcast over the batch on their own.
 */
export function alignBatched(args: readonly NDArray[], dims: readonly BatchDim[]): NDArray[] {
  const rank = Math.max(...args.map((x, i) => x.ndim - (dims[i] === null ? 0 : 1)));
  return args.map((x, i) => (dims[i] === null ? x : withUnitAxes(x, rank - (x.ndim - 1))));
}

/** `x` (unbatched) repeated along a new leading batch axis of `size`. */
function broadcastBatch(x: NDArray, size: number): NDArray {
  const lifted = reshape(x, [1, ...x.shape]);
  return bind('broadcastTo', [lifted], { shape: [size, ...x.shape] })[0]!;
}

/** Rule of a primitive that broadcasts its operands (or takes one operand), bound to its name. */
function elementwise<P extends Primitive>(p: P): BatchRule<P> {
  return (args, dims, params) => {
    const outs = bind(p, alignBatched(args, dims), params);
    return { outs, dims: outs.map(() => 0) };
  };
}
/** A batched operand of a single-operand primitive whose parameters count axes: shifted past the batch axis. */
const shift = (axes: readonly number[]): number[] => axes.map((a) => a + 1);

function reduction<P extends 'sum' | 'prod' | 'max' | 'min'>(p: P): BatchRule<P> {
  return ([x], _d, params) =>
    one(bind(p, [x!], { axes: shift(params.axes), keepdims: params.keepdims } as never)[0]!);
}

function argReduction<P extends 'argmax' | 'argmin'>(p: P): BatchRule<P> {
  return ([x], _d, params) =>
    one(bind(p, [x!], { axis: params.axis + 1, keepdims: params.keepdims } as never)[0]!);
}

/**
 * Fallback for operand combinations no closed form covers: the primitive once per example (slices of the
 * batched operands), stacked along a new leading axis. Correct for every primitive, and as slow as a loop.
 */
export function perExample<P extends Primitive>(p: P): BatchRule<P> {
  return (args, dims, params, size) => {
    const perOut: NDArray[][] = [];
    for (let b = 0; b < size; b++) {
      const slices = args.map((x, i) =>
        dims[i] === null
          ? x
          : reshape(
              bind('slice', [x], {
                starts: x.shape.map((_, k) => (k === 0 ? b : 0)),
                steps: x.shape.map(() => 1),
                lengths: x.shape.map((d, k) => (k === 0 ? 1 : d)),
              })[0]!,
              x.shape.slice(1),
            ),
      );
      bind(p, slices, params).forEach((y, k) => {
        const list = perOut[k] ?? [];
        perOut[k] = list;
        list.push(reshape(y, [1, ...y.shape]));
      });
    }
    const outs = perOut.map((ys) =>
      ys.length === 1 ? ys[0]! : bind('concat', ys, { axis: 0 })[0]!,
    );
    return { outs, dims: outs.map(() => 0) };
  };
}

/** Matrix routines of one operand are batched over leading axes already. */
function batchedRoutine<P extends 'cholesky' | 'lu' | 'qr' | 'eigh' | 'svd'>(p: P): BatchRule<P> {
  return ([x], _d, params) => {
    const outs = bind(p, [x!], params);
    return { outs, dims: outs.map(() => 0) };
  };
}

/**
 * A convolution-like primitive whose first operand carries the examples' own batch axis (N, C, ...): the
 * mapped axis folds into N — one call over B·N images — when only that operand is mapped.
 */
function foldIntoImages<P extends 'conv' | 'convTranspose' | 'avgPool'>(p: P): BatchRule<P> {
  return (args, dims, params, size) => {
    const [x, ...rest] = args;
    if (dims[0] !== 0 || dims.slice(1).some((d) => d !== null)) {
      return perExample(p)(args, dims, params, size);
    }
    const folded = reshape(x!, [size * x!.shape[1]!, ...x!.shape.slice(2)]);
    const y = bind(p, [folded, ...rest], params)[0]!;
    return one(reshape(y, [size, x!.shape[1]!, ...y.shape.slice(1)]));
  };
}

/** Batching rule of every primitive (a primitive without one does not compile). @public */
export const batchRules: { [P in Primitive]: BatchRule<P> } = {
  // elementwise: the batch axis is just one more axis
  neg: elementwise('neg'),
  abs: elementwise('abs'),
  sign: elementwise('sign'),
  floor: elementwise('floor'),
  exp: elementwise('exp'),
  log: elementwise('log'),
  log1p: elementwise('log1p'),
  expm1: elementwise('expm1'),
  sqrt: elementwise('sqrt'),
  sin: elementwise('sin'),
  cos: elementwise('cos'),
  tanh: elementwise('tanh'),
  sigmoid: elementwise('sigmoid'),
  cast: elementwise('cast'),
  // broadcasting: size-1 axes after the batch axis align the per-example ranks
  add: elementwise('add'),
  sub: elementwise('sub'),
  mul: elementwise('mul'),
  div: elementwise('div'),
  pow: elementwise('pow'),
  maximum: elementwise('maximum'),
  minimum: elementwise('minimum'),
  less: elementwise('less'),
  lessEqual: elementwise('lessEqual'),
  greater: elementwise('greater'),
  greaterEqual: elementwise('greaterEqual'),
  equal: elementwise('equal'),
  notEqual: elementwise('notEqual'),
  where: elementwise('where'),
  // reductions: the axes move one place right
  sum: reduction('sum'),
  prod: reduction('prod'),
  max: reduction('max'),
  min: reduction('min'),
  argmax: argReduction('argmax'),
  argmin: argReduction('argmin'),
  // structure: the batch axis is prepended to every shape parameter
  reshape: ([x], _d, { shape }, size) => one(reshape(x!, [size, ...shape])),
  transpose: ([x], _d, { perm }) => one(bind('transpose', [x!], { perm: [0, ...shift(perm)] })[0]!),
  broadcastTo: ([x], _d, { shape }, size) =>
    one(
      bind('broadcastTo', [withUnitAxes(x!, shape.length - (x!.ndim - 1))], {
        shape: [size, ...shape],
      })[0]!,
    ),
  slice: ([x], _d, { starts, steps, lengths }, size) =>
    one(
      bind('slice', [x!], {
        starts: [0, ...starts],
        steps: [1, ...steps],
        lengths: [size, ...lengths],
      })[0]!,
    ),
  pad: ([x], _d, { before, after }) =>
    one(bind('pad', [x!], { before: [0, ...before], after: [0, ...after] })[0]!),
  // every operand needs the batch axis, so unbatched ones are repeated
  concat: (args, dims, { axis }, size) =>
    one(
      bind(
        'concat',
        args.map((x, i) => (dims[i] === null ? broadcastBatch(x, size) : x)),
        { axis: axis + 1 },
      )[0]!,
    ),
  // take along axis+1 of the batched array; with batched indices only, the batch axis lands at `axis`
  gather: (args, dims, params, size) => {
    const [x, idx] = args;
    if (dims[1] === null) return one(bind('gather', [x!, idx!], { axis: params.axis + 1 })[0]!);
    if (dims[0] === null) return { outs: bind('gather', [x!, idx!], params), dims: [params.axis] };
    return perExample('gather')(args, dims, params, size);
  },
  scatterAdd: (args, dims, params, size) => {
    const [u, idx] = args;
    if (dims[1] === null) {
      return one(
        bind('scatterAdd', [u!, idx!], {
          axis: params.axis + 1,
          shape: [size, ...params.shape],
        })[0]!,
      );
    }
    return perExample('scatterAdd')(args, dims, params, size);
  },
  // batched over leading axes, with broadcasting between the operands
  // a shared matrix: every example's rows stacked into one product (one large GEMM instead of B small ones)
  matmul: (args, dims, params, _size) => {
    const [a, b] = args;
    if (dims[0] === 0 && dims[1] === null && b!.ndim === 2 && !params.transA) {
      const k = a!.shape[a!.ndim - 1]!;
      const y = bind('matmul', [reshape(a!, [a!.size / k, k]), b!], params)[0]!;
      return one(reshape(y, [...a!.shape.slice(0, -1), y.shape[1]!]));
    }
    const aligned = alignBatched(args, dims);
    const [x, w] = aligned as [NDArray, NDArray];
    if ((params.transA ? x.shape[x.ndim - 2] : x.shape[x.ndim - 1]) === 1) {
      // inner dimension 1 (per-example outer products): a column times a row, one product per element
      const swap = (t: NDArray, on: boolean): NDArray =>
        on ? reshape(t, [...t.shape.slice(0, -2), t.shape[t.ndim - 1]!, t.shape[t.ndim - 2]!]) : t;
      return one(bind('mul', [swap(x, params.transA), swap(w, params.transB)], {})[0]!);
    }
    return one(bind('matmul', aligned, params)[0]!);
  },
  triangularSolve: elementwise('triangularSolve'),
  cholesky: batchedRoutine('cholesky'),
  lu: batchedRoutine('lu'),
  qr: batchedRoutine('qr'),
  eigh: batchedRoutine('eigh'),
  svd: batchedRoutine('svd'),
  // convolutions and pooling: the mapped axis joins the images' batch axis N
  conv: foldIntoImages('conv'),
  convTranspose: foldIntoImages('convTranspose'),
  avgPool: foldIntoImages('avgPool'),
  // sums over the images, and maxPool's indices count from the start of each example: one call per example
  convWeightGrad: perExample('convWeightGrad'),
  maxPool: perExample('maxPool'),
  ...complexBatchRules,
};
