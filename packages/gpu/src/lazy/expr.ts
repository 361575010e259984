/**
 * The fusion IR: an elementwise computation not yet run, kept as a small DAG whose leaves are affine views
 * of device buffers (`base + Σ coord_d · stride_d`, which covers broadcasting, transposes and strided
 * slices) or scalar constants. Elementwise ops and view ops on such arrays only build a bigger DAG; one
 * kernel computes it when the value is needed (by a non-elementwise kernel, a read, or `materialize`).
 * Intermediate arrays that are disposed before that are never computed at all.
 *
 * A DAG keeps its leaf buffers alive (it holds a reference on each), so inputs may be disposed while a
 * result that depends on them is still pending.
 */
import type { BinaryPrimitive, ComparePrimitive, DType, UnaryPrimitive } from '@sciml/linalg';
import { stridesOf } from '@sciml/linalg';
import type { Storage } from '../memory/pool.js';

/** Elementwise operations a DAG node can apply. */
export type ElementOp = UnaryPrimitive | BinaryPrimitive | ComparePrimitive | 'where' | 'cast';

/** A view of a device buffer: element at coordinate c is `buffer[base + Σ c_d · strides_d]`. */
export interface LoadNode {
  readonly kind: 'load';
  readonly storage: Storage;
  readonly dtype: DType;
  readonly base: number;
  readonly strides: readonly number[];
}

/** A scalar constant (passed to the kernel as a parameter, never as source text). */
export interface ConstNode {
  readonly kind: 'const';
  readonly dtype: DType;
  readonly value: number;
}

/** An elementwise operation of its arguments. */
export interface OpNode {
  readonly kind: 'op';
  readonly op: ElementOp;
  readonly dtype: DType;
  readonly args: readonly ExprNode[];
}

/** A DAG node. */
export type ExprNode = LoadNode | ConstNode | OpNode;

/** A pending elementwise result of `shape`: every load's strides have one entry per axis of `shape`. */
export interface Expr {
  readonly shape: readonly number[];
  readonly root: ExprNode;
}

/** Distinct nodes of a DAG, arguments before users (topological order). */
export function topoNodes(root: ExprNode): ExprNode[] {
  const seen = new Set<ExprNode>();
  const out: ExprNode[] = [];
  const visit = (n: ExprNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.kind === 'op') for (const a of n.args) visit(a);
    out.push(n);
  };
  visit(root);
  return out;
}

/** Distinct storages a DAG reads, in first-use order. */
export function leafStorages(root: ExprNode): Storage[] {
  const set = new Set<Storage>();
  for (const n of topoNodes(root)) if (n.kind === 'load') set.add(n.storage);
  return [...set];
}

/** Rebuilds a DAG with every load replaced by `f(load)` (shared nodes stay shared). */
export function mapLoads(root: ExprNode, f: (load: LoadNode) => ExprNode): ExprNode {
  const memo = new Map<ExprNode, ExprNode>();
  const go = (n: ExprNode): ExprNode => {
    const hit = memo.get(n);
    if (hit) return hit;
    let r: ExprNode;
    if (n.kind === 'load') r = f(n);
    else if (n.kind === 'const') r = n;
    else r = { kind: 'op', op: n.op, dtype: n.dtype, args: n.args.map(go) };
    memo.set(n, r);
    return r;
  };
  return go(root);
}

/** A contiguous row-major view of a whole buffer holding an array of `shape`. */
export function contiguousLoad(storage: Storage, dtype: DType, shape: readonly number[]): LoadNode {
  return { kind: 'load', storage, dtype, base: 0, strides: stridesOf(shape) };
}

/** The expression broadcast to `outShape` (NumPy rules; the frontend has checked them). */
export function broadcastExpr(e: Expr, outShape: readonly number[]): Expr {
  const r = e.shape.length;
  const R = outShape.length;
  if (r === R && e.shape.every((d, i) => d === outShape[i])) return e;
  const root = mapLoads(e.root, (l) => ({
    ...l,
    strides: outShape.map((_, j) => {
      const i = j - (R - r);
      return i < 0 || e.shape[i] === 1 ? 0 : l.strides[i]!;
    }),
  }));
  return { shape: outShape, root };
}

/** Axes permuted: output axis i is input axis perm[i]. */
export function transposeExpr(e: Expr, perm: readonly number[]): Expr {
  const root = mapLoads(e.root, (l) => ({ ...l, strides: perm.map((a) => l.strides[a]!) }));
  return { shape: perm.map((a) => e.shape[a]!), root };
}

/** Strided slice: output coordinate c_d reads input coordinate starts_d + c_d · steps_d. */
export function sliceExpr(
  e: Expr,
  starts: readonly number[],
  steps: readonly number[],
  lengths: readonly number[],
): Expr {
  const root = mapLoads(e.root, (l) => {
    let base = l.base;
    for (let d = 0; d < starts.length; d++) base += starts[d]! * l.strides[d]!;
    return { ...l, base, strides: l.strides.map((s, d) => s * steps[d]!) };
  });
  return { shape: lengths, root };
}

/** True when the view reads element `base + flat index` (strides of size-1 axes do not matter). */
export function isFlatView(strides: readonly number[], shape: readonly number[]): boolean {
  const c = stridesOf(shape);
  return shape.every((d, i) => d === 1 || strides[i] === c[i]);
}

/** True when every coordinate reads the same element. */
export function isScalarView(strides: readonly number[], shape: readonly number[]): boolean {
  return shape.every((d, i) => d === 1 || strides[i] === 0);
}

/** The expression with a new shape of the same size, or undefined when a load is not flat or scalar. */
export function reshapeExpr(e: Expr, shape: readonly number[]): Expr | undefined {
  let ok = true;
  const contiguous = stridesOf(shape);
  const root = mapLoads(e.root, (l) => {
    if (isScalarView(l.strides, e.shape)) return { ...l, strides: shape.map(() => 0) };
    if (isFlatView(l.strides, e.shape)) return { ...l, strides: contiguous };
    ok = false;
    return l;
  });
  return ok ? { shape, root } : undefined;
}

/** Size facts of a DAG, cached per node: an upper bound of its node count and the buffers it reads. */
export interface ExprInfo {
  /** Nodes counted with multiplicity (≥ the distinct count; shared sub-DAGs count once per use). */
  readonly nodes: number;
  /** Distinct buffers read. */
  readonly leaves: readonly Storage[];
}

const infoCache = new WeakMap<ExprNode, ExprInfo>();

/**
 * Size facts of the DAG under `n`, from its arguments' cached facts: O(arguments) per new node instead
 * of a traversal per op. The node count is an upper bound, so the fusion budget errs on the safe side.
 */
export function exprInfo(n: ExprNode): ExprInfo {
  const hit = infoCache.get(n);
  if (hit) return hit;
  let info: ExprInfo;
  if (n.kind === 'load') info = { nodes: 1, leaves: [n.storage] };
  else if (n.kind === 'const') info = { nodes: 1, leaves: [] };
  else {
    let nodes = 1;
    const leaves: Storage[] = [];
    for (const a of n.args) {
      const ai = exprInfo(a);
      nodes += ai.nodes;
      for (const s of ai.leaves) if (!leaves.includes(s)) leaves.push(s);
    }
    info = { nodes, leaves };
  }
  infoCache.set(n, info);
  return info;
}
