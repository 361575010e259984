/**
 * Program simplifications that keep the numbers bit-identical: common-subexpression elimination (an equation
 * whose primitive, inputs and parameters repeat an earlier one reuses its outputs; equal small literals are
 * one constant) and dead-code elimination (equations no output depends on are dropped). Every primitive is
 * pure, so both are always valid.
 */
import type { ConstVar, Eqn, Jaxpr, Var } from './jaxpr.js';

/** Literals up to this many elements are compared by value when deduplicating. */
const MAX_DEDUP_LITERAL = 64;

function literalKey(c: ConstVar): string | null {
  if (c.source.kind !== 'literal' || c.source.values.length > MAX_DEDUP_LITERAL) return null;
  // Object.is distinguishes 0 from -0 and matches NaN, as bitwise equality would
  const values = Array.from(c.source.values, (v) => (Object.is(v, -0) ? '-0' : String(v)));
  return `${c.dtype}|${c.shape.join(',')}|${values.join(',')}`;
}

/** Merges repeated equations and equal literals (one pass in program order). */
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
  for (const e of jaxpr.eqns) {
    const inputs = e.inputs.map(get);
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
