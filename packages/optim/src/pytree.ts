/**
 * Parameters given as a pytree: the deterministic methods iterate on one flat float64 vector on the host (as
 * SciPy does), and user functions see the tree — same structure, shapes, dtypes (float32 included) and
 * backend as the start value. `ravelPytree` from @sciml/autodiff does the flattening.
 */
import { type PyTree, ravelPytree, type Unravel } from '@sciml/autodiff';
import { autodiffValueAndGrad } from './autodiff.js';
import type { GradientFn, ObjectiveFn, ValueAndGradFn } from './objective.js';
import {
  BackendError,
  type FloatDType,
  NDArray,
  astype,
  fromTypedArray,
  toBackend,
} from '@sciml/linalg';

/** True for a start value of the classic vector form: a 1-D NDArray or a list/typed array of numbers. */
export function isVectorStart(x0: unknown): x0 is NDArray | ArrayLike<number> {
  if (x0 instanceof NDArray) return x0.ndim === 1;
  if (ArrayBuffer.isView(x0)) return true;
  return Array.isArray(x0) && x0.every((v) => typeof v === 'number');
}

/** A tree of parameters seen as a flat host vector. */
export interface FlatParams<T> {
  /** The start value as a flat float64 vector. */
  readonly x0: Float64Array;
  /** The leaves' float dtype (what f computes in). */
  readonly dtype: FloatDType;
  /** Rebuilds the tree from a host float64 vector NDArray (differentiable when the tree is on the CPU). */
  unravel(x: NDArray): T;
  /** Rebuilds the tree from a flat array already on the tree's backend in its dtype (differentiable on any backend). */
  unravelFlat(v: NDArray): T;
  /** A host vector as one flat array on the tree's backend, in the leaves' dtype. */
  upload(x: Float64Array): NDArray;
  /** Whether the leaves can be read synchronously (not a GPU's). */
  readonly syncReadable: boolean;
  /** Rebuilds the tree from a flat vector (a copy). */
  toTree(x: Float64Array): T;
  /** Reads a tree of the same structure (a gradient) as a flat float64 vector. */
  toHost(tree: T): Float64Array;
  /** A tree of the same structure (a gradient) as one flat array on its backend, unread. */
  ravel(tree: T | ArrayLike<number>): NDArray | ArrayLike<number>;
}

/**
 * Flattens a tree start value for the vector methods. Its leaves must be readable synchronously (the
 * methods are synchronous host loops); GPU trees are refused with the fix.
 */
export function flattenParams<T>(op: string, x0: T): FlatParams<T> {
  const [v, unravelLeaves] = ravelPytree(x0 as PyTree) as [NDArray, Unravel<PyTree>];
  const backend = v.backend;
  if (!backend.downloadSync) {
    const fix =
      op === 'minimize'
        ? "use 'await minimizeAsync(f, x0, options)', which reads the device asynchronously"
        : 'move them with \'await toBackendAsync(x, "cpu")\' (leaf by leaf) first';
    throw new BackendError(
      op,
      `the parameters live on the ${backend.name} backend, which is read asynchronously, but ${op} iterates synchronously on the host; ${fix}, or train with a stochastic optimiser (@sciml/optim's adam, ...), which runs on any backend`,
    );
  }
  return flatView(v, unravelLeaves, Float64Array.from(v.dataSync()));
}

/** {@link flattenParams} for a tree on any backend: the start value is read asynchronously (GPU leaves included). */
export async function flattenParamsAsync<T>(x0: T): Promise<FlatParams<T>> {
  const [v, unravelLeaves] = ravelPytree(x0 as PyTree) as [NDArray, Unravel<PyTree>];
  return flatView(v, unravelLeaves, Float64Array.from((await v.data()) as ArrayLike<number>));
}

function flatView<T>(
  v: NDArray,
  unravelLeaves: Unravel<PyTree>,
  host: Float64Array,
): FlatParams<T> {
  const backend = v.backend;
  const dtype = v.dtype as FloatDType;
  const onTreeBackend = (x: NDArray): NDArray =>
    x.backend === backend ? astype(x, dtype) : toBackend(x, backend, { dtype });
  return {
    x0: host,
    dtype,
    unravel: (x) => unravelLeaves(onTreeBackend(x)) as T,
    unravelFlat: (x) => unravelLeaves(x) as T,
    upload: (x) => onTreeBackend(fromTypedArray(x.slice())),
    syncReadable: backend.downloadSync !== undefined,
    toTree: (x) => unravelLeaves(onTreeBackend(fromTypedArray(x.slice()))) as T,
    toHost: (tree) => Float64Array.from(ravelPytree(tree as PyTree)[0].dataSync()),
    ravel: (tree) => (isVectorStart(tree) ? tree : ravelPytree(tree as PyTree)[0]),
  };
}

/**
 * f and ∇f of a tree objective as a function of the flat vector: the user's `valueAndGrad` or `jac` when
 * given (tree- or vector-valued gradients both accepted), else reverse-mode autodiff through the tree.
 */
export function flatValueAndGrad<T>(
  op: string,
  f: ObjectiveFn<T>,
  p: FlatParams<T>,
  config: { jac?: GradientFn<T>; valueAndGrad?: ValueAndGradFn<T> },
): ValueAndGradFn {
  const { jac, valueAndGrad } = config;
  const treeVG: ValueAndGradFn<T> =
    valueAndGrad ??
    (jac
      ? (t) => [f(t), jac(t)]
      : (autodiffValueAndGrad(f as ObjectiveFn<PyTree>, op) as unknown as ValueAndGradFn<T>));
  return (x) => {
    const [value, g] = treeVG(p.unravel(x));
    // the flat gradient stays an array on the tree's backend: the caller reads it (sync or async)
    return [value, p.ravel(g)];
  };
}
