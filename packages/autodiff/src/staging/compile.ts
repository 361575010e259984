/**
 * Lowering a staged program to something that runs. On the CPU: fused elementwise groups become generated
 * loops (`fuse.ts`), every other primitive calls the CPU backend's kernel directly (no shape inference or
 * observer dispatch at run time: the program already knows every shape), and a buffer plan hands the memory
 * of values that are dead to later fused outputs. On other backends: the program runs equation by equation
 * through `bind`, where the backend applies its own optimisations (the GPU backend's lazy fusion).
 */
import {
  type Backend,
  type BackendInput,
  NDArray,
  type OutputSpec,
  type TypedArray,
  allocTyped,
} from '@sciml/linalg';
import { type Step, planFusion } from './fuse.js';
import type { Var } from './jaxpr.js';
import { type Staged, evalJaxpr, materializeConsts } from './stage.js';

/** A compiled program: run it on the flattened arguments. */
export interface Executable {
  readonly staged: Staged;
  /** Arrays bound to the program's constants. */
  readonly consts: readonly NDArray[];
  /** How the program runs: `fused` (generated CPU loops) or `op-by-op` (through bind), with the reason. */
  readonly mode: { readonly kind: 'fused' | 'op-by-op'; readonly reason: string };
  /** Number of generated loops (fused groups) in the program. */
  readonly fusedGroups: number;
  /** Bytes held by the buffer plan between runs (recycled dead values awaiting a fused output). */
  pooledBytes(): number;
  run(args: readonly NDArray[]): NDArray[];
}

/** Compiles a staged program for its target backend. */
export function compileStaged(staged: Staged): Executable {
  const consts = materializeConsts(staged.jaxpr.constVars, staged.target);
  if (staged.target.name !== 'cpu') {
    return {
      staged,
      consts,
      mode: {
        kind: 'op-by-op',
        reason: `the ${staged.target.name} backend runs the program through bind (its own lazy fusion applies)`,
      },
      fusedGroups: 0,
      pooledBytes: () => 0,
      run: (args) => evalJaxpr(staged.jaxpr, consts, args),
    };
  }
  try {
    return compileCpu(staged, consts);
  } catch (e) {
    // generated code can be forbidden (a Content-Security-Policy without 'unsafe-eval'): run op by op
    if (!(e instanceof EvalError)) throw e;
    return {
      staged,
      consts,
      mode: { kind: 'op-by-op', reason: `code generation is not allowed here (${e.message})` },
      fusedGroups: 0,
      pooledBytes: () => 0,
      run: (args) => evalJaxpr(staged.jaxpr, consts, args),
    };
  }
}

function spec(v: Var): OutputSpec {
  return { shape: v.shape, dtype: v.dtype };
}

function compileCpu(staged: Staged, consts: readonly NDArray[]): Executable {
  const { jaxpr, target } = staged;
  const steps = planFusion(jaxpr);
  // the step after which each value is dead (results never die)
  const lastUse = new Map<Var, number>();
  steps.forEach((s, i) => {
    const ins = s.kind === 'eqn' ? s.eqn.inputs : s.group.inputs;
    for (const v of ins) lastUse.set(v, i);
  });
  for (const v of jaxpr.outVars) lastUse.delete(v);
  const dying: Var[][] = steps.map(() => []);
  for (const [v, i] of lastUse) dying[i]!.push(v);
  const resultSet = new Set(jaxpr.outVars);
  for (const list of dying)
    for (let k = list.length - 1; k >= 0; k--) if (resultSet.has(list[k]!)) list.splice(k, 1);

  const pool = new Map<string, TypedArray[]>();
  const fusedGroups = steps.filter((s) => s.kind === 'fused').length;
  // A dead value is worth keeping only if a fused output of its size and dtype can take it, and never more
  // of one size than the program has such outputs: values made by library kernels (matmul, …) die every
  // run, and pooling them all grew the pool by a run's worth of memory on every call.
  const poolCap = new Map<string, number>();
  for (const s of steps)
    if (s.kind === 'fused')
      for (const v of s.group.outputs) {
        const key = `${v.dtype}:${v.shape.reduce((a, b) => a * b, 1)}`;
        poolCap.set(key, (poolCap.get(key) ?? 0) + 1);
      }

  const run = (args: readonly NDArray[]): NDArray[] => {
    const env = new Map<Var, TypedArray>();
    const refs = new Map<TypedArray, number>();
    const external = new Set<TypedArray>();
    const bindValue = (v: Var, data: TypedArray): void => {
      env.set(v, data);
      refs.set(data, (refs.get(data) ?? 0) + 1);
    };
    jaxpr.constVars.forEach((v, i) => {
      const h = consts[i]!.handle as TypedArray;
      external.add(h);
      bindValue(v, h);
    });
    jaxpr.inVars.forEach((v, i) => {
      const h = args[i]!.handle as TypedArray;
      external.add(h);
      bindValue(v, h);
    });
    const input = (v: Var): BackendInput => ({
      handle: env.get(v)!,
      shape: v.shape,
      dtype: v.dtype,
      size: env.get(v)!.length,
    });
    const alloc = (v: Var): TypedArray => {
      const size = v.shape.reduce((a, b) => a * b, 1);
      const free = pool.get(`${v.dtype}:${size}`);
      return free?.pop() ?? allocTyped(v.dtype, size);
    };
    steps.forEach((s: Step, i) => {
      if (s.kind === 'eqn') {
        const e = s.eqn;
        const outs = target.execute(
          e.primitive,
          e.inputs.map(input),
          e.params,
          e.outputs.map(spec),
        );
        e.outputs.forEach((v, k) => {
          bindValue(v, outs[k] as TypedArray);
        });
      } else {
        const g = s.group;
        const ins = g.inputs.map((v) => env.get(v)!);
        const outs = g.outputs.map(alloc);
        s.kernel(ins, outs);
        g.outputs.forEach((v, k) => {
          bindValue(v, outs[k]!);
        });
      }
      for (const v of dying[i]!) {
        const data = env.get(v)!;
        env.delete(v);
        const left = refs.get(data)! - 1;
        refs.set(data, left);
        if (left === 0 && !external.has(data)) {
          const key = `${v.dtype}:${data.length}`;
          const list = pool.get(key) ?? [];
          pool.set(key, list);
          if (list.length < (poolCap.get(key) ?? 0)) list.push(data);
        }
      }
    });
    return jaxpr.outVars.map((v) => new NDArray(env.get(v)!, v.shape, v.dtype, target as Backend));
  };
  return {
    staged,
    consts,
    mode: { kind: 'fused', reason: `${fusedGroups} generated loop(s) on the cpu backend` },
    fusedGroups,
    pooledBytes: () => {
      let bytes = 0;
      for (const list of pool.values()) for (const a of list) bytes += a.byteLength;
      return bytes;
    },
    run,
  };
}
