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
  allocEmpty,
  exposeStorage,
  sizeOf,
  soleOwner,
} from '@sciml/linalg';
import { cpuGemm, recycleStorage } from '@sciml/linalg/kernels';
import { type Step, planFusion } from './fuse.js';
import { wasmKernel } from './fuse-wasm.js';
import type { Eqn, Var } from './jaxpr.js';
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
  /** How many of those loops are generated WebAssembly SIMD (the others are JavaScript). */
  readonly wasmGroups: number;
  /** Bytes held by the buffer plan between runs (recycled dead values awaiting a fused output). */
  pooledBytes(): number;
  /**
   * Runs the program. `donated` holds the indices of arguments the caller gives up (buffer donation): the
   * memory of each one that no other array can see (see `soleOwner`) may hold intermediates or results once
   * its value is dead. The caller invalidates the donated arrays afterwards; `taken` receives the storage the
   * run took over (now a result's or the buffer plan's), which the caller must not free.
   */
  run(args: readonly NDArray[], donated?: ReadonlySet<number>, taken?: Set<unknown>): NDArray[];
}

/** The buffer plan's key of a value's memory: dtype and element count. */
const bufferKey = (dtype: string, size: number): string => `${dtype}:${size}`;

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
      wasmGroups: 0,
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
      wasmGroups: 0,
      pooledBytes: () => 0,
      run: (args) => evalJaxpr(staged.jaxpr, consts, args),
    };
  }
}

function spec(v: Var): OutputSpec {
  return { shape: v.shape, dtype: v.dtype };
}

/**
 * A product of two float matrices (rank 2, not a single dot product): jit calls the backend's GEMM into a
 * buffer of its own plan instead of letting the kernel allocate one, so a step's matmul outputs recycle the
 * memory of dead values — fresh memory costs page faults on every call, far more than the copy it saves.
 */
function plannedGemm(e: Eqn): boolean {
  if (e.primitive !== 'matmul') return false;
  const [a, b] = e.inputs as [Var, Var];
  const out = e.outputs[0]!;
  return (
    (out.dtype === 'float64' || out.dtype === 'float32') &&
    a.shape.length === 2 &&
    b.shape.length === 2 &&
    a.dtype === out.dtype &&
    b.dtype === out.dtype &&
    out.shape[0]! * out.shape[1]! > 1
  );
}

/** Runs a planned GEMM (see `plannedGemm`) into `c`. */
function runGemm(e: Eqn, a: TypedArray, b: TypedArray, c: TypedArray): void {
  const { transA, transB } = e.params as { transA: boolean; transB: boolean };
  const out = e.outputs[0]!;
  const m = out.shape[0]!;
  const n = out.shape[1]!;
  const k = transA ? e.inputs[0]!.shape[0]! : e.inputs[0]!.shape[1]!;
  const gemm = cpuGemm(out.dtype as 'float64' | 'float32');
  gemm(m, n, k, a as Float64Array, b as Float64Array, c as Float64Array, transA, transB);
}

/**
 * The storage of the donated arguments that this run may overwrite once dead: an argument no other live
 * array can see (`soleOwner`), passed once, and not a constant of the program. Conservative: anything else
 * stays external (read only), though the caller still invalidates it.
 */
function recyclableArgs(
  args: readonly NDArray[],
  donated: ReadonlySet<number> | undefined,
  consts: ReadonlySet<TypedArray>,
): Set<TypedArray> {
  const out = new Set<TypedArray>();
  if (donated === undefined || donated.size === 0) return out;
  const seen = new Map<unknown, number>();
  for (const a of args) seen.set(a.handle, (seen.get(a.handle) ?? 0) + 1);
  for (const i of donated) {
    const a = args[i];
    if (a === undefined || !soleOwner(a)) continue;
    const h = a.handle as TypedArray;
    if (seen.get(h) === 1 && !consts.has(h) && ArrayBuffer.isView(h)) out.add(h);
  }
  return out;
}

function compileCpu(staged: Staged, consts: readonly NDArray[]): Executable {
  const { jaxpr, target } = staged;
  const steps = planFusion(jaxpr, wasmKernel);
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
  const dyingSet = dying.map((list) => new Set(list));
  // arguments no step reads and no result is: dead on entry (a donated one's memory is free from the start)
  const unread = new Set(jaxpr.inVars.filter((v) => !lastUse.has(v) && !resultSet.has(v)));

  const pool = new Map<string, TypedArray[]>();
  const fusedGroups = steps.filter((s) => s.kind === 'fused').length;
  const wasmGroups = steps.filter((s) => s.kind === 'fused' && s.wasm).length;
  // A dead value is worth keeping only if a fused output or a planned GEMM's output of its size and dtype
  // can take it, and never more of one size than the program has such outputs: values made by library
  // kernels (sums, …) die every run, and pooling them all grew the pool by a run's worth of memory per call.
  const poolCap = new Map<string, number>();
  const planned = steps.map((s) => s.kind === 'eqn' && plannedGemm(s.eqn));
  steps.forEach((s, i) => {
    const outs = s.kind === 'fused' ? s.group.outputs : planned[i] ? s.eqn.outputs : [];
    for (const v of outs) {
      const key = bufferKey(v.dtype, sizeOf(v.shape));
      poolCap.set(key, (poolCap.get(key) ?? 0) + 1);
    }
  });

  const run = (
    args: readonly NDArray[],
    donated?: ReadonlySet<number>,
    taken?: Set<unknown>,
  ): NDArray[] => {
    const env = new Map<Var, TypedArray>();
    const refs = new Map<TypedArray, number>();
    // memory this run must not write: constants and arguments (unless donated and seen by no other array)
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
    const recycled = recyclableArgs(args, donated, external);
    if (taken) for (const h of recycled) taken.add(h);
    jaxpr.inVars.forEach((v, i) => {
      const h = args[i]!.handle as TypedArray;
      if (!recycled.has(h)) external.add(h);
      bindValue(v, h);
    });
    /** Drops the program's hold on a dead value; memory nothing else holds goes to the pool. */
    const release = (v: Var): void => {
      const data = env.get(v)!;
      env.delete(v);
      const left = refs.get(data)! - 1;
      refs.set(data, left);
      if (left === 0 && !external.has(data)) {
        const key = bufferKey(v.dtype, sizeOf(v.shape));
        const list = pool.get(key) ?? [];
        pool.set(key, list);
        if (list.length < (poolCap.get(key) ?? 0)) list.push(data);
        // memory this program cannot keep (a library kernel's dead result, donated memory beyond the plan's
        // needs) goes to the CPU storage pool, where the next allocation of its size — this program's
        // library kernels on the next run, or the next program — takes it instead of fresh pages
        else recycleStorage(data);
      }
    };
    // a donated argument the program never reads (last call's results, given back for this call's) is
    // free before the first step: JAX's donation of an unused buffer whose shape matches a result
    for (const v of unread) if (recycled.has(env.get(v)!)) release(v);
    const input = (v: Var): BackendInput => ({
      handle: env.get(v)!,
      shape: v.shape,
      dtype: v.dtype,
      size: env.get(v)!.length,
    });
    const alloc = (v: Var): TypedArray => {
      const size = sizeOf(v.shape);
      // every consumer of `alloc` (fused loops, planned GEMMs) writes all of its output: no zero-fill
      return pool.get(bufferKey(v.dtype, size))?.pop() ?? allocEmpty(v.dtype, size);
    };
    // an output of a fused loop may take the memory of an input that dies at that loop (see inPlaceInputs)
    const claimed = new Set<TypedArray>();
    const inPlace = (i: number, s: Step & { kind: 'fused' }, k: number): TypedArray | undefined => {
      for (const j of s.inPlace[k]!) {
        const v = s.group.inputs[j]!;
        const data = env.get(v)!;
        if (external.has(data) || claimed.has(data) || refs.get(data) !== 1) continue;
        if (!dyingSet[i]!.has(v)) continue;
        claimed.add(data);
        return data;
      }
      return undefined;
    };
    steps.forEach((s: Step, i) => {
      if (s.kind === 'eqn' && planned[i]) {
        const e = s.eqn;
        const out = alloc(e.outputs[0]!);
        runGemm(e, env.get(e.inputs[0]!)!, env.get(e.inputs[1]!)!, out);
        bindValue(e.outputs[0]!, out);
      } else if (s.kind === 'eqn') {
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
        claimed.clear();
        const outs = g.outputs.map((v, k) => inPlace(i, s, k) ?? alloc(v));
        s.kernel(ins, outs);
        g.outputs.forEach((v, k) => {
          bindValue(v, outs[k]!);
        });
      }
      for (const v of dying[i]!) release(v);
    });
    // a result that is an argument, a constant or another result shares that storage: never donate it (a
    // recycled argument is given up by the caller, so its memory belongs to the result alone)
    const seen = new Set<TypedArray>();
    for (const a of args)
      if (!recycled.has(a.handle as TypedArray)) seen.add(a.handle as TypedArray);
    for (const c of consts) seen.add(c.handle as TypedArray);
    return jaxpr.outVars.map((v) => {
      const data = env.get(v)!;
      const out = new NDArray(data, v.shape, v.dtype, target as Backend);
      if (seen.has(data)) exposeStorage(out);
      seen.add(data);
      return out;
    });
  };
  return {
    staged,
    consts,
    mode: {
      kind: 'fused',
      reason: `${fusedGroups} generated loop(s) on the cpu backend, ${wasmGroups} of them wasm SIMD`,
    },
    fusedGroups,
    wasmGroups,
    pooledBytes: () => {
      let bytes = 0;
      for (const list of pool.values()) for (const a of list) bytes += a.byteLength;
      return bytes;
    },
    run,
  };
}
