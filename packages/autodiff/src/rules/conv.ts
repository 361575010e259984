/**
 * JVP and VJP rules of the convolution and pooling primitives.
 *
 * The three convolution primitives are the partial maps of one trilinear form
 *   T(x, w, y) = ⟨conv(x, w), y⟩ = ⟨x, convTranspose(y, w)⟩ = ⟨w, convWeightGrad(x, y)⟩,
 * so each is bilinear (JVP: the sum of the map applied to one tangent at a time) and the cotangents of each
 * are the other two maps (the identities above, read with the cotangent in the free slot). The rules only
 * call these primitives, so they differentiate again to any order. This is JAX's conv_general_dilated
 * transpose rules (lax/convolution.py) with the weight transpose kept as its own primitive, which avoids
 * JAX's batch-group trick for grouped convolutions.
 *
 * maxPool returns the flat index of each window's maximum, so its derivatives are a gather (JVP) and a
 * scatter-add (VJP) at those indices (PyTorch's max_pool backward; ties go to the first maximum, where the
 * `max` reduction splits them). avgPool is linear; its transpose is a depthwise transposed convolution with a
 * box filter, divided by the window counts.
 */
import {
  type ConvParams,
  type NDArray,
  type NnPrimitive,
  type PoolParams,
  add,
  bind,
  div,
  reshape,
} from '@sciml/linalg';
import type { JvpRule, VjpRule } from './types.js';
import { addOpt, constant } from './util.js';

const spatial = (x: NDArray): number[] => x.shape.slice(2);

function geometry(p: ConvParams): ConvParams {
  return { stride: p.stride, padding: p.padding, dilation: p.dilation, groups: p.groups };
}

const conv = (x: NDArray, w: NDArray, p: ConvParams): NDArray =>
  bind('conv', [x, w], geometry(p))[0]!;
/** convTranspose(y, w) back to an input of spatial shape `inputSpatial`. */
const convT = (y: NDArray, w: NDArray, p: ConvParams, inputSpatial: number[]): NDArray =>
  bind('convTranspose', [y, w], { ...geometry(p), inputSpatial })[0]!;
/** convWeightGrad(x, y) for a filter of spatial shape `kernelSpatial`. */
const convW = (x: NDArray, y: NDArray, p: ConvParams, kernelSpatial: number[]): NDArray =>
  bind('convWeightGrad', [x, y], { ...geometry(p), kernelSpatial })[0]!;

/** A bilinear primitive B(a, b): dB = B(da, b) + B(a, db). */
const bilinear: JvpRule<'conv' | 'convTranspose' | 'convWeightGrad'> = ([ta, tb], rec) => {
  const [a, b] = rec.inputs;
  const apply = (u: NDArray, v: NDArray) => bind(rec.primitive, [u, v], rec.params)[0]!;
  return [addOpt(ta ? apply(ta, b!) : null, tb ? apply(a!, tb) : null, (u, v) => add(u, v))];
};

/** Flat input indices of the window maxima (the primitive's second output), as a vector. */
const maxIndices = (idx: NDArray): NDArray => reshape(idx, [idx.size]);

/** Per-position divisors of an average pooling (host values: they depend on the geometry only). */
function divisors(
  x: NDArray,
  y: NDArray,
  p: PoolParams & { countIncludePad: boolean },
): NDArray | number {
  const window = p.window.reduce((a, b) => a * b, 1);
  if (p.countIncludePad) return window;
  const q = spatial(y);
  const counts = new Float64Array(q.reduce((a, b) => a * b, 1));
  const axisCounts = q.map((n, a) =>
    Array.from({ length: n }, (_, i) => {
      const start = i * p.stride[a]! - p.padding[a]![0];
      return Math.min(x.shape[2 + a]!, start + p.window[a]!) - Math.max(0, start);
    }),
  );
  counts.forEach((_, k) => {
    let c = 1;
    let rest = k;
    for (let a = q.length - 1; a >= 0; a--) {
      c *= axisCounts[a]![rest % q[a]!]!;
      rest = Math.floor(rest / q[a]!);
    }
    counts[k] = c;
  });
  return constant(counts, q, y.dtype, y);
}

/** Forward-mode rules of the neural-network primitives. */
export const convJvpRules: { [P in NnPrimitive]: JvpRule<P> } = {
  conv: bilinear, // d conv(x, w) = conv(dx, w) + conv(x, dw)
  convTranspose: bilinear, // d convT(y, w) = convT(dy, w) + convT(y, dw)
  convWeightGrad: bilinear, // d convW(x, y) = convW(dx, y) + convW(x, dy)
  // d max-pool(x) = dx at each window's argmax
  maxPool: ([t], { outputs: [y, idx] }) => [
    reshape(bind('gather', [reshape(t!, [t!.size]), maxIndices(idx!)], { axis: 0 })[0]!, y!.shape),
    null,
  ],
  avgPool: ([t], { params }) => [bind('avgPool', [t!], params)[0]!], // linear
};

/** Reverse-mode rules of the neural-network primitives. */
export const convVjpRules: { [P in NnPrimitive]: VjpRule<P> } = {
  // x̄ = convT(ȳ, w), w̄ = convW(x, ȳ)
  conv: ([ct], { inputs: [x, w], params }, wanted) => [
    wanted[0] ? convT(ct!, w!, params, spatial(x!)) : null,
    wanted[1] ? convW(x!, ct!, params, spatial(w!)) : null,
  ],
  // for x = convT(y, w) with cotangent x̄: ȳ = conv(x̄, w), w̄ = convW(x̄, y)
  convTranspose: ([ct], { inputs: [y, w], params }, wanted) => [
    wanted[0] ? conv(ct!, w!, params) : null,
    wanted[1] ? convW(ct!, y!, params, spatial(w!)) : null,
  ],
  // for w = convW(x, y) with cotangent w̄: x̄ = convT(y, w̄), ȳ = conv(x, w̄)
  convWeightGrad: ([ct], { inputs: [x, y], params }, wanted) => [
    wanted[0] ? convT(y!, ct!, params, spatial(x!)) : null,
    wanted[1] ? conv(x!, ct!, params) : null,
  ],
  // x̄ = ȳ scattered (added) to each window's argmax
  maxPool: ([ct], { inputs: [x], outputs: [, idx] }) => {
    if (!ct) return [null];
    const flat = bind('scatterAdd', [reshape(ct, [ct.size]), maxIndices(idx!)], {
      axis: 0,
      shape: [x!.size],
    })[0]!;
    return [reshape(flat, x!.shape)];
  },
  // x̄ = depthwise convT(ȳ / counts, box of ones): every window spreads its share back over its inputs
  avgPool: ([ct], { inputs: [x], outputs: [y], params }) => {
    const c = x!.shape[1]!;
    const box = constant(
      new Float64Array(c * params.window.reduce((a, b) => a * b, 1)).fill(1),
      [c, 1, ...params.window],
      ct!.dtype,
      ct!,
    );
    const share = div(ct!, divisors(x!, y!, params));
    const ones = params.window.map(() => 1);
    const p = { stride: params.stride, padding: params.padding, dilation: ones, groups: c };
    return [convT(share, box, p, spatial(x!))];
  },
};
