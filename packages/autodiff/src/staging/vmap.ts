/**
 * `vmap`: trace a function on one example, then run its program on the whole batch, each equation through
 * its batching rule (`batchRules`). The batched program is made of ordinary primitives, so `grad(vmap(f))`
 * differentiates it, `jit(vmap(f))` compiles it and `vmap(grad(f))` batches a traced backward pass.
 */
import {
  type NDArray,
  type Primitive,
  ShapeError,
  ValueError,
  bind,
  formatShape,
} from '@sciml/linalg';
import { type BatchDim, type BatchRule, batchRules } from '../rules/batch.js';
import { type PyTree, type TreeDef, treeFlatten, treeSize, treeUnflatten } from '../tree.js';
import type { Jaxpr, Var } from './jaxpr.js';
import { signatureKey } from './signature.js';
import { type Staged, isTracer, materializeConsts, stage, targetBackend } from './stage.js';
import { traceDepth } from './trace-backend.js';

/** Batch axes: one for every argument (or result), or one per argument (per element of an array result). @public */
export type Axes = number | null | readonly (number | null)[];

/** Options of `vmap`. @public */
export interface VmapOptions {
  /** Axis of each argument to map over (`null`: the argument is shared by every example); default 0. */
  inAxes?: Axes;
  /** Where the batch axis goes in each result (`null`: the result must not depend on the batch); default 0. */
  outAxes?: Axes;
}

/** `x` with axis `from` moved to position `to`. */
function moveAxis(x: NDArray, from: number, to: number): NDArray {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return bind('transpose', [x], { perm })[0]!;
}

/** `x` (unbatched) repeated `size` times along a new axis at `axis`. */
function repeatAlong(x: NDArray, size: number, axis: number): NDArray {
  const lifted = bind('reshape', [x], { shape: [1, ...x.shape] })[0]!;
  const tiled = bind('broadcastTo', [lifted], { shape: [size, ...x.shape] })[0]!;
  return moveAxis(tiled, 0, axis);
}

interface Batched {
  readonly x: NDArray;
  readonly d: BatchDim;
}

/** Runs a program on batched arguments: each equation by its batching rule (or as is, when nothing in it is batched). */
export function batchJaxpr(
  jaxpr: Jaxpr,
  consts: readonly NDArray[],
  args: readonly Batched[],
  size: number,
): Batched[] {
  const env = new Map<Var, Batched>();
  jaxpr.constVars.forEach((v, i) => {
    env.set(v, { x: consts[i]!, d: null });
  });
  jaxpr.inVars.forEach((v, i) => {
    env.set(v, args[i]!);
  });
  for (const e of jaxpr.eqns) {
    const ins = e.inputs.map((v) => env.get(v)!);
    let outs: readonly Batched[];
    if (ins.every((b) => b.d === null)) {
      outs = bind(
        e.primitive,
        ins.map((b) => b.x),
        e.params,
      ).map((x) => ({ x, d: null }));
    } else {
      const rule = batchRules[e.primitive] as BatchRule<Primitive>;
      const r = rule(
        ins.map((b) => (b.d === null ? b.x : moveAxis(b.x, b.d, 0))),
        ins.map((b) => (b.d === null ? null : 0)),
        e.params,
        size,
      );
      outs = r.outs.map((x, i) => ({ x, d: r.dims[i]! }));
    }
    e.outputs.forEach((v, i) => {
      env.set(v, outs[i]!);
    });
  }
  return jaxpr.outVars.map((v) => env.get(v)!);
}

function axisList(op: string, axes: Axes, count: number, what: string): (number | null)[] {
  if (axes === null || typeof axes === 'number') return new Array(count).fill(axes);
  if (axes.length !== count) {
    throw new ValueError(
      op,
      `${what} has ${axes.length} entries for ${count} ${what === 'inAxes' ? 'arguments' : 'results'}; give one per entry, or one number for all`,
    );
  }
  return [...axes];
}

/**
 * Vectorises `f` over a batch axis of its arguments (JAX's `vmap`): `vmap(f)(xs)` equals stacking
 * `f(xs[i])` over i, computed as one batched program. `inAxes` says which axis of each argument is mapped
 * (`null`: shared, as the parameters in per-example gradients `vmap(grad(loss), { inAxes: [null, 0] })`);
 * `outAxes` where the batch axis goes in the results. Composes with `grad`, `jit`, `jacobian` and itself.
 * @example
 * ```ts
 * const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] });
 * perExample(params, xs, ys); // one gradient per row of xs
 * ```
 * @public
 */
export function vmap<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  options: VmapOptions = {},
): (...args: Args) => Out {
  // per signature: the program and its constants, uploaded once
  const cache = new Map<string, { staged: Staged; consts: NDArray[] }>();
  return (...args: Args) => {
    const inAxes = axisList(
      'vmap',
      options.inAxes === undefined ? 0 : options.inAxes,
      args.length,
      'inAxes',
    );
    let size: number | null = null;
    const leaves: NDArray[] = [];
    const dims: BatchDim[] = [];
    const specs: { shape: readonly number[]; dtype: NDArray['dtype'] }[] = [];
    args.forEach((a, i) => {
      const ax = inAxes[i]!;
      for (const x of treeFlatten(a as PyTree).leaves) {
        leaves.push(x);
        if (ax === null) {
          dims.push(null);
          specs.push(x);
          continue;
        }
        const k = ax < 0 ? ax + x.ndim : ax;
        if (k < 0 || k >= x.ndim) {
          throw new ShapeError(
            'vmap',
            `inAxes ${ax} is out of range for argument ${i} of shape ${formatShape(x.shape)}`,
          );
        }
        const n = x.shape[k]!;
        if (size !== null && n !== size) {
          throw new ShapeError(
            'vmap',
            `argument ${i} has ${n} examples along axis ${k} (shape ${formatShape(x.shape)}) but an earlier argument has ${size}; mapped axes must agree`,
          );
        }
        size = n;
        dims.push(k);
        specs.push({ shape: x.shape.filter((_, j) => j !== k), dtype: x.dtype });
      }
    });
    if (size === null) {
      throw new ValueError(
        'vmap',
        'no argument is mapped (every inAxes entry is null, or no NDArray is passed); give an axis to map over',
      );
    }
    const { def } = treeFlatten(args as unknown as PyTree);
    const canCache = traceDepth() === 0 && !leaves.some(isTracer);
    const key = signatureKey(def, leaves, [JSON.stringify(inAxes)]);
    let entry = canCache ? cache.get(key) : undefined;
    if (entry === undefined) {
      const fresh = stage(
        'vmap',
        f as (...a: unknown[]) => unknown,
        def,
        specs,
        targetBackend(leaves),
      );
      entry = { staged: fresh, consts: materializeConsts(fresh.jaxpr.constVars, fresh.target) };
      if (canCache) cache.set(key, entry);
    }
    const { staged, consts } = entry;
    const n = size as number;
    const outs = batchJaxpr(
      staged.jaxpr,
      consts,
      leaves.map((x, i) => ({ x, d: dims[i]! })),
      n,
    );
    return placeOutputs(
      staged.outDef,
      outs,
      options.outAxes === undefined ? 0 : options.outAxes,
      n,
    ) as Out;
  };
}

/** Moves each result's batch axis to its `outAxes` position (repeating results that do not depend on the batch). */
function placeOutputs(
  outDef: TreeDef,
  outs: readonly Batched[],
  outAxes: Axes,
  size: number,
): unknown {
  const perLeaf: (number | null)[] = [];
  if (outAxes === null || typeof outAxes === 'number') perLeaf.push(...outs.map(() => outAxes));
  else {
    if (outDef.kind !== 'array' || outDef.children.length !== outAxes.length) {
      throw new ValueError(
        'vmap',
        `outAxes has ${outAxes.length} entries but the result is not an array of ${outAxes.length} elements`,
      );
    }
    outDef.children.forEach((child, i) => {
      const count = treeSize(child);
      for (let k = 0; k < count; k++) perLeaf.push(outAxes[i]!);
    });
  }
  const placed = outs.map(({ x, d }, i) => {
    const ax = perLeaf[i]!;
    if (ax === null) {
      if (d !== null) {
        throw new ShapeError(
          'vmap',
          `result ${i} (shape ${formatShape(x.shape)}) depends on the mapped axis but its outAxes entry is null`,
        );
      }
      return x;
    }
    const rank = (d === null ? x.ndim : x.ndim - 1) + 1;
    const k = ax < 0 ? ax + rank : ax;
    if (k < 0 || k >= rank) {
      throw new ShapeError('vmap', `outAxes ${ax} is out of range for a result of rank ${rank}`);
    }
    return d === null ? repeatAlong(x, size, k) : moveAxis(x, d, k);
  });
  return treeUnflatten(outDef, placed);
}
