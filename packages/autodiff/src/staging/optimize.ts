/**
 * Program simplifications that keep the numbers bit-identical: common-subexpression elimination (an equation
 * whose primitive, inputs and parameters repeat an earlier one reuses its outputs; equal small literals are
 * one constant; a reshape to its input's own shape is its input) and dead-code elimination (equations no output depends on are dropped). Every primitive is
 * pure, so both are always valid.
 */
import type { PrimitiveParams } from '@sciml/linalg';
import type { ConstVar, Eqn, Jaxpr, Var } from './jaxpr.js';

/** Literals up to this many elements are compared by value when deduplicating. */
const MAX_DEDUP_LITERAL = 64;

function literalKey(c: ConstVar): string | null {
  if (c.source.kind !== 'literal' || c.source.values.length > MAX_DEDUP_LITERAL) return null;
  // Object.is distinguishes 0 from -0 and matches NaN, as bitwise equality would
  const values = Array.from(c.source.values, (v) => (Object.is(v, -0) ? '-0' : String(v)));
  return `${c.dtype}|${c.shape.join(',')}|${values.join(',')}`;
}

function sameShape(a: Var, b: Var): boolean {
  return a.shape.length === b.shape.length && a.shape.every((n, i) => n === b.shape[i]);
}

/** Merges repeated equations and equal literals and drops identity reshapes (one pass in program order). */
export function eliminateCommonSubexpressions(jaxpr: Jaxpr): Jaxpr {
  const rename = new Map<Var, Var>();
  const get = (v: Var): Var => rename.get(v) ?? v;
  const constVars: ConstVar[] = [];
  const literals = new Map<string, ConstVar>();
  for (const c of jaxpr.constVars) {
    const key = literalKey(c);
    const seen = key === null ? undefined : literals.get(key);
    if (seen) rename.set(c, seen);
    else {
      if (key !== null) literals.set(key, c);
      constVars.push(c);
    }
  }
  const seen = new Map<string, Eqn>();
  const eqns: Eqn[] = [];
  const results = new Set<Var>(jaxpr.outVars);
  for (const e of jaxpr.eqns) {
    const inputs = e.inputs.map(get);
    // a reshape to the shape it already has (how grad and jvp alias their arguments) is its input: without
    // this, f(x) and f(alias(x)) in one program (a PINN's u and the primal inside its jvps) never merge. A
    // program result keeps its own equation, so a result is never one of the inputs
    if (
      e.primitive === 'reshape' &&
      sameShape(inputs[0]!, e.outputs[0]!) &&
      !results.has(e.outputs[0]!)
    ) {
      rename.set(e.outputs[0]!, inputs[0]!);
      continue;
    }
    const key = `${e.primitive}|${inputs.map((v) => v.id).join(',')}|${JSON.stringify(e.params)}`;
    const prev = seen.get(key);
    if (prev) {
      e.outputs.forEach((v, i) => {
        rename.set(v, prev.outputs[i]!);
      });
      continue;
    }
    const eqn = { ...e, inputs } as Eqn;
    seen.set(key, eqn);
    eqns.push(eqn);
  }
  return {
    inVars: jaxpr.inVars,
    constVars,
    eqns,
    outVars: jaxpr.outVars.map(get),
  };
}

/** Drops equations and constants that no output depends on. */
export function eliminateDeadCode(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>(jaxpr.outVars);
  const kept: Eqn[] = [];
  for (let k = jaxpr.eqns.length - 1; k >= 0; k--) {
    const e = jaxpr.eqns[k]!;
    if (!e.outputs.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const v of e.inputs) live.add(v);
  }
  kept.reverse();
  return {
    inVars: jaxpr.inVars,
    constVars: jaxpr.constVars.filter((c) => live.has(c)),
    eqns: kept,
    outVars: jaxpr.outVars,
  };
}

/**
 * Matrix products with an inner dimension of 1 (outer products: per-example weight gradients, the first
 * layer of a network on scalar inputs) become a broadcasting `mul` of a column by a row — the same single
 * product per element, but elementwise, so it fuses with its neighbours instead of calling GEMM.
 */
export function rewriteOuterProducts(jaxpr: Jaxpr): Jaxpr {
  let nextId = 0;
  const bump = (v: Var): void => {
    nextId = Math.max(nextId, v.id + 1);
  };
  jaxpr.inVars.forEach(bump);
  jaxpr.constVars.forEach(bump);
  for (const e of jaxpr.eqns) e.outputs.forEach(bump);
  const fresh = (shape: readonly number[], like: Var): Var => ({
    id: nextId++,
    shape,
    dtype: like.dtype,
  });
  const eqns: Eqn[] = [];
  for (const e of jaxpr.eqns) {
    if (e.primitive !== 'matmul') {
      eqns.push(e);
      continue;
    }
    const [a, b] = e.inputs as [Var, Var];
    const { transA, transB } = e.params as PrimitiveParams<'matmul'>;
    const k = transA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
    if (k !== 1) {
      eqns.push(e);
      continue;
    }
    // a column [..., m, 1] and a row [..., 1, n]: a transposed operand with a size-1 axis is a reshape
    const column = (x: Var, swap: boolean): Var => {
      if (!swap) return x;
      const s = [...x.shape];
      [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1]!, s[s.length - 2]!];
      const y = fresh(s, x);
      eqns.push({ primitive: 'reshape', inputs: [x], outputs: [y], params: { shape: s } } as Eqn);
      return y;
    };
    const left = column(a, transA);
    const right = column(b, transB);
    eqns.push({ primitive: 'mul', inputs: [left, right], outputs: e.outputs, params: {} } as Eqn);
  }
  return { ...jaxpr, eqns };
}
