/**
 * Dense Jacobians and Hessians, built from `jvp` (one pass per input element) or `vjp` (one backward pass
 * per output element), whichever needs fewer passes.
 */
import {
  NDArray,
  ShapeError,
  ValueError,
  assertFinite,
  describeValue,
  full,
  isFloat,
  reshape,
  stack,
} from '@sciml/linalg';
import { constant, zerosLike } from '../rules/util.js';
import { treeFlatten, treeUnflatten, type PyTree } from '../tree.js';
import { jvpAs } from './forward.js';
import { valueAndGradImpl, vjpAs } from './reverse.js';
import { resolveArgnums } from '../trace/trace.js';

/** Options of `jacobian`. @public */
export interface JacobianOptions<N extends number = number> {
  /** The argument to differentiate (default 0); it may be an NDArray or a pytree of them. */
  argnums?: N;
  /**
   * `'forward'`: one `jvp` per input element; `'reverse'`: one backward pass per output element; `'auto'`
   * (default): forward when the input has no more elements than the output.
   */
  mode?: 'forward' | 'reverse' | 'auto';
}

/** A one-hot array shaped like `like` with a 1 at flat position `i`. */
function basis(like: NDArray, i: number): NDArray {
  const v = new Float64Array(like.size);
  v[i] = 1;
  return constant(v, like.shape, like.dtype, like);
}

function checkOutput(op: string, y: unknown): NDArray {
  const { leaves } = treeFlatten(y as PyTree);
  if (leaves.length !== 1 || leaves[0] !== y || !isFloat(leaves[0]!.dtype)) {
    throw new ShapeError(
      op,
      'the function must return one float NDArray; stack or concatenate several outputs first',
    );
  }
  return leaves[0]!;
}

/** Stacks per-element results (each shaped `inner`) into (...outer, ...inner) or (...inner, ...outer). */
function assemble(
  parts: NDArray[],
  outer: readonly number[],
  inner: readonly number[],
  outerFirst: boolean,
  like: NDArray,
): NDArray {
  if (parts.length === 0) {
    return full(outerFirst ? [...outer, ...inner] : [...inner, ...outer], 0, {
      dtype: like.dtype as 'float64',
      backend: like.backend,
    });
  }
  const stacked = stack(parts, { axis: outerFirst ? 0 : parts[0]!.ndim });
  return reshape(stacked, outerFirst ? [...outer, ...inner] : [...inner, ...outer]);
}

/**
 * The Jacobian ∂f/∂x of a function returning one NDArray, with shape (...output shape, ...input shape) for
 * each input leaf (a pytree argument gives a pytree of Jacobians). Differentiable again:
 * `jacobian(grad(f))` is the Hessian.
 * @example
 * ```ts
 * jacobian((x: NDArray) => mul(x, x))(array([1, 2])); // [[2, 0], [0, 4]]
 * ```
 * @public
 */
export function jacobian<Args extends unknown[]>(
  f: (...args: Args) => NDArray,
  options?: JacobianOptions<0>,
): (...args: Args) => Args[0];
/** The Jacobian with respect to argument `argnums`. @public */
export function jacobian<Args extends unknown[], const N extends number>(
  f: (...args: Args) => NDArray,
  options: JacobianOptions<N> & { argnums: N },
): (...args: Args) => Args[N];
export function jacobian(f: (...args: unknown[]) => NDArray, options: JacobianOptions = {}) {
  return jacobianAs('jacobian', f, options);
}

/** `jacobian` on behalf of the public transform `op` (`hessian`), which errors then name. */
function jacobianAs(
  op: string,
  f: (...args: unknown[]) => NDArray,
  options: JacobianOptions,
): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const [k] = resolveArgnums(op, options.argnums ?? 0, args.length);
    const { leaves, def } = treeFlatten(args[k!] as PyTree);
    if (leaves.length === 0) {
      throw new ValueError(
        op,
        `argument ${k} must be an NDArray or a pytree of NDArrays, got ${describeValue(args[k!])}; convert numbers with array(...) from @sciml/linalg`,
      );
    }
    checkFinitePoint('jacobian', k!, leaves);
    const fAt = (x: unknown): NDArray => {
      const call = [...args];
      call[k!] = x;
      return checkOutput(op, f(...call));
    };
    const inSize = leaves.reduce((n, x) => n + x.size, 0);
    let mode = options.mode ?? 'auto';
    if (mode === 'auto') {
      // one evaluation to learn the output size; cheap next to the passes themselves
      const outSize = fAt(args[k!]).size;
      mode = inSize <= outSize ? 'forward' : 'reverse';
    }
    const jacs =
      mode === 'forward'
        ? forwardJacobian(op, fAt, args[k!] as PyTree, leaves, def)
        : reverseJacobian(op, fAt, args[k!] as PyTree, leaves, def);
    return treeUnflatten(def, jacs);
  };
}

type Def = ReturnType<typeof treeFlatten>['def'];

function forwardJacobian(
  op: string,
  fAt: (x: unknown) => NDArray,
  x: PyTree,
  leaves: NDArray[],
  def: Def,
): NDArray[] {
  const zeros = leaves.map(zerosLike);
  let outShape: readonly number[] = [];
  return leaves.map((leaf, j) => {
    const columns: NDArray[] = [];
    for (let i = 0; i < leaf.size; i++) {
      const tangents = zeros.map((z, m) => (m === j ? basis(leaf, i) : z));
      const [y, dy] = jvpAs(
        op,
        (arg: PyTree) => fAt(arg),
        [x],
        [treeUnflatten<PyTree>(def, tangents)],
      );
      outShape = y.shape;
      columns.push(dy);
    }
    if (columns.length === 0) outShape = fAt(x).shape;
    return assemble(columns, leaf.shape, outShape, false, leaf);
  });
}

function reverseJacobian(
  op: string,
  fAt: (x: unknown) => NDArray,
  x: PyTree,
  leaves: NDArray[],
  _def: Def,
): NDArray[] {
  const [y, pullback] = vjpAs(op, (arg: PyTree) => fAt(arg), [x]);
  const rows: NDArray[][] = leaves.map(() => []);
  for (let i = 0; i < y.size; i++) {
    const [g] = pullback(basis(y, i));
    treeFlatten(g as PyTree).leaves.forEach((gl, j) => {
      rows[j]!.push(gl);
    });
  }
  return leaves.map((leaf, j) => assemble(rows[j]!, y.shape, leaf.shape, true, leaf));
}

/**
 * The Hessian ∇²f of a scalar function of one NDArray argument, shape (...x.shape, ...x.shape), computed
 * forward-over-reverse (`jacobian(grad(f))` with forward mode).
 * @example
 * ```ts
 * hessian((x: NDArray) => sum(mul(x, mul(x, x))))(array([1, 2])); // diag(6x)
 * ```
 * @public
 */
export function hessian<Args extends unknown[], const N extends number = 0>(
  f: (...args: Args) => NDArray,
  options: { argnums?: N } = {},
): (...args: Args) => NDArray {
  const argnums = options.argnums ?? 0;
  return (...args: Args) => {
    if (!(args[argnums] instanceof NDArray)) {
      throw new ShapeError(
        'hessian',
        `argument ${argnums} must be one NDArray; flatten a pytree into one vector first`,
      );
    }
    checkFinitePoint('hessian', argnums, [args[argnums] as NDArray]);
    const g = (...a: unknown[]) =>
      valueAndGradImpl('hessian', f as (...a: unknown[]) => unknown, { argnums }, a)
        .grads as NDArray;
    return jacobianAs('hessian', g, { argnums, mode: 'forward' })(...args) as NDArray;
  };
}

// The non-finite-input policy (linalg's assertFinite): at a NaN point forward-over-reverse would give a NaN
// pattern that depends on the evaluation order (an asymmetric Hessian), so the transform refuses the point.
function checkFinitePoint(op: string, k: number, leaves: readonly NDArray[]): void {
  leaves.forEach((x, i) => {
    assertFinite(op, leaves.length > 1 ? `argument ${k} (leaf ${i})` : `argument ${k}`, x);
  });
}
