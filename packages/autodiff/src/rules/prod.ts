import { type NDArray, bind, div, reshape, transpose, where } from '@sciml/linalg';
import { constant } from './util.js';

/** Above this many elements in the n×n expansion, the product rule divides instead (zeros then give NaN). */
const EXPANSION_LIMIT = 1 << 22;

/**
 * ∂(∏ⱼ xⱼ)/∂xᵢ = ∏_{j≠i} xⱼ over the reduced `axes`, shaped like x. Computed as the product of x with its
 * i-th entry replaced by 1 (an n×n expansion, exact when some xⱼ are zero, and differentiable again); for
 * very large reductions it falls back to y / xᵢ.
 */
export function allButOneProduct(x: NDArray, axes: readonly number[]): NDArray {
  const set = new Set(axes);
  const kept = x.shape.map((_, i) => i).filter((i) => !set.has(i));
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const batch = x.size / Math.max(n, 1);
  if (n * n * batch > EXPANSION_LIMIT) {
    const y = bind('prod', [x], { axes: [...axes], keepdims: true })[0]!;
    return div(y, x);
  }
  // move the reduced axes last and flatten them: (…kept, n)
  const perm = [...kept, ...axes];
  const moved = transpose(x, perm);
  const keptDims = kept.map((i) => x.shape[i]!);
  const flat = reshape(moved, [...keptDims, 1, n]);
  const eye = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  // row i of the expansion is x with entry i replaced by 1
  const expanded = where(constant(eye, [n, n], 'bool', x), 1, flat);
  const others = bind('prod', [expanded], { axes: [expanded.ndim - 1], keepdims: false })[0]!;
  const back = reshape(others, [...keptDims, ...axes.map((a) => x.shape[a]!)]);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return transpose(back, inverse);
}
