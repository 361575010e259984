/**
 * Elementwise fusion for the CPU: chains of elementwise and broadcasting primitives with one output shape
 * become one generated JavaScript loop, which reads each input once and writes only the values used outside
 * the chain — instead of one allocation and one pass over memory per primitive.
 *
 * The generated code reproduces eager arithmetic exactly: every operation is the CPU backend's own scalar
 * expression, float32 intermediates are rounded (`Math.fround`) after every operation as a Float32Array
 * store would, and `tanh` runs the same wasm SIMD kernel as eager execution on a block of values (the loop
 * is cut into segments around each tanh, working on blocks that stay in cache).
 *
 * Broadcast inputs are walked in runs along the last loop axis (size-1 axes dropped, axes that every input
 * walks as one merged): a tight inner loop per run, where an input constant along the run (a column, the
 * left factor of an outer product) is read once. Sums over leading or middle axes of a group's values
 * (bias gradients) accumulate inside the loop, in eager's order, instead of sweeping memory again.
 */
import { type DType, type Primitive, type TypedArray, shapesEqual, sizeOf } from '@sciml/linalg';
import {
  TANH_MIN_LENGTH,
  mulRunsOuterKernel,
  tanhF32,
  tanhF64,
  tanhStage,
} from '@sciml/linalg/kernels';
import type { Eqn, Jaxpr, Var } from './jaxpr.js';

/** The tanh kernel's dtype for a value of `dtype` (tanh only fuses on float arrays). */
const stageDtype = (dtype: DType): 'float64' | 'float32' =>
  dtype === 'float32' ? 'float32' : 'float64';

/** Elements per block of the generated loop (the tanh segments work block by block). */
const BLOCK = 4096;

/**
 * Most equations in one generated loop: V8 optimises only functions of moderate bytecode size, and a
 * traced 1 000-step integrator would otherwise become a single loop of tens of thousands of lines.
 */
const MAX_GROUP_EQNS = 2048;

type Operand = string;
const UNARY: Partial<Record<Primitive, (x: Operand) => string>> = {
  neg: (x) => `-${x}`,
  abs: (x) => `Math.abs(${x})`,
  sign: (x) => `(${x} > 0 ? 1 : ${x} < 0 ? -1 : ${x} === 0 ? 0 : NaN)`,
  floor: (x) => `Math.floor(${x})`,
  exp: (x) => `Math.exp(${x})`,
  log: (x) => `Math.log(${x})`,
  log1p: (x) => `Math.log1p(${x})`,
  expm1: (x) => `Math.expm1(${x})`,
  sqrt: (x) => `Math.sqrt(${x})`,
  sin: (x) => `Math.sin(${x})`,
  cos: (x) => `Math.cos(${x})`,
  sigmoid: (x) => `(${x} >= 0 ? 1 / (1 + Math.exp(-${x})) : Math.exp(${x}) / (1 + Math.exp(${x})))`,
};
const BINARY: Partial<Record<Primitive, (a: Operand, b: Operand) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  pow: (a, b) => `${a} ** ${b}`,
  maximum: (a, b) => `Math.max(${a}, ${b})`,
  minimum: (a, b) => `Math.min(${a}, ${b})`,
  less: (a, b) => `(${a} < ${b} ? 1 : 0)`,
  lessEqual: (a, b) => `(${a} <= ${b} ? 1 : 0)`,
  greater: (a, b) => `(${a} > ${b} ? 1 : 0)`,
  greaterEqual: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  equal: (a, b) => `(${a} === ${b} ? 1 : 0)`,
  notEqual: (a, b) => `(${a} !== ${b} ? 1 : 0)`,
};

const isFloatDType = (d: DType): boolean => d === 'float64' || d === 'float32';

/** Whether an equation can join a fused loop (float or bool data; int32 arithmetic stays in the library). */
export function isFusable(e: Eqn): boolean {
  const out = e.outputs[0]!;
  if (e.outputs.length !== 1 || out.dtype === 'int32') return false;
  const p = e.primitive;
  if (p === 'cast') return true;
  if (p === 'where') return e.inputs.slice(1).every((v) => v.dtype !== 'int32');
  // a large batched outer product (per-example weight gradients) is written ~5× faster by the library's
  // wasm kernel than by a generated loop, with the same products bit for bit
  if (p === 'mul' && isFloatDType(out.dtype) && e.inputs.every((v) => v.dtype === out.dtype)) {
    if (mulRunsOuterKernel(e.inputs[0]!.shape, e.inputs[1]!.shape, out.shape)) return false;
  }
  if (p !== 'tanh' && UNARY[p] === undefined && BINARY[p] === undefined) return false;
  return e.inputs.every((v) => v.dtype !== 'int32');
}

/**
 * Whether a `sum` can run inside the loop of its operand's group: a float sum over axes that keep the last
 * one, into more than one element. Eager execution accumulates such sums element by element in row-major
 * order in float64 (`reduceAxes`), and so does the loop — the same numbers bit for bit. (Sums over the last
 * axis are pairwise and full sums use the wasm kernel there: those stay library calls.)
 */
export function isFusableReduction(e: Eqn): boolean {
  if (e.primitive !== 'sum' || e.outputs.length !== 1) return false;
  const x = e.inputs[0]!;
  const { axes } = e.params as { axes: readonly number[] };
  return (
    isFloatDType(x.dtype) &&
    x.dtype === e.outputs[0]!.dtype &&
    x.shape.length > 0 &&
    !axes.includes(x.shape.length - 1) &&
    sizeOf(e.outputs[0]!.shape) > 1
  );
}

/** Strides mapping each element of `shape` to its element of the sum over `axes` (0 on reduced axes). */
export function reductionStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (axes.includes(d)) continue;
    strides[d] = shape[d] === 1 ? 0 : step;
    step *= shape[d]!;
  }
  return strides;
}

/** A group of equations computed by one generated loop over `shape`. */
export interface FusedGroup {
  readonly shape: readonly number[];
  readonly eqns: Eqn[];
  /** Values read from outside (materialized arrays), in kernel argument order. */
  inputs: Var[];
  /** Values written for use outside the group, in kernel argument order. */
  outputs: Var[];
}

/** One step of a lowered program: a library primitive, or a fused group. */
export type Step =
  | { readonly kind: 'eqn'; readonly eqn: Eqn }
  | {
      readonly kind: 'fused';
      readonly group: FusedGroup;
      readonly kernel: FusedKernel;
      /** Whether `kernel` is generated WebAssembly SIMD (else a generated JavaScript loop). */
      readonly wasm: boolean;
      /** For each output, the inputs whose memory it may overwrite (see {@link inPlaceInputs}). */
      readonly inPlace: readonly (readonly number[])[];
    };

/** A lowering of a group to another kind of kernel (wasm SIMD), given its JavaScript loop; null to keep that. */
export type GroupLowering = (g: FusedGroup, js: FusedKernel) => FusedKernel | null;

/**
 * Groups the fusable equations by output shape, in program order. A group is closed (scheduled) as soon as
 * anything outside it needs one of its values, so every step runs after the steps it reads. Each group's
 * kernel is its generated JavaScript loop, or what `lowering` makes of the group where it makes something.
 */
export function planFusion(jaxpr: Jaxpr, lowering?: GroupLowering): Step[] {
  const steps: ({ kind: 'eqn'; eqn: Eqn } | { kind: 'group'; group: FusedGroup })[] = [];
  const open = new Map<string, FusedGroup>();
  const producer = new Map<Var, FusedGroup>();
  const openOrder: FusedGroup[] = [];
  const close = (g: FusedGroup): void => {
    open.delete(g.shape.join(','));
    openOrder.splice(openOrder.indexOf(g), 1);
    steps.push({ kind: 'group', group: g });
  };
  const closeProducers = (e: Eqn, except?: FusedGroup): void => {
    for (const v of e.inputs) {
      const g = producer.get(v);
      if (g && g !== except && openOrder.includes(g)) close(g);
    }
  };
  // sums computed inside a group's loop: complete only when the loop ends, so no member may read them
  const reducedIn = new Map<Var, FusedGroup>();
  for (const e of jaxpr.eqns) {
    const reduction = isFusableReduction(e);
    for (const v of e.inputs) {
      const g = reducedIn.get(v);
      if (g && openOrder.includes(g)) close(g);
    }
    if (!reduction && !isFusable(e)) {
      closeProducers(e);
      steps.push({ kind: 'eqn', eqn: e });
      continue;
    }
    const shape = reduction ? e.inputs[0]!.shape : e.outputs[0]!.shape;
    const key = shape.join(',');
    closeProducers(e, open.get(key));
    let g = open.get(key);
    if (!g) {
      g = { shape, eqns: [], inputs: [], outputs: [] };
      open.set(key, g);
      openOrder.push(g);
    }
    g.eqns.push(e);
    producer.set(e.outputs[0]!, g);
    if (reduction) reducedIn.set(e.outputs[0]!, g);
    if (g.eqns.length >= MAX_GROUP_EQNS) close(g);
  }
  for (const g of [...openOrder]) close(g);

  // inputs and outputs of each group; single-equation groups run their library kernel instead
  const consumers = new Map<Var, Set<Eqn>>();
  for (const e of jaxpr.eqns)
    for (const v of e.inputs) {
      const s = consumers.get(v) ?? new Set<Eqn>();
      consumers.set(v, s);
      s.add(e);
    }
  const results = new Set(jaxpr.outVars);
  return steps.flatMap((s): Step[] => {
    if (s.kind === 'eqn') return [s];
    const g = s.group;
    if (g.eqns.length === 1) return [{ kind: 'eqn', eqn: g.eqns[0]! }];
    const members = new Set(g.eqns);
    const made = new Set(g.eqns.map((e) => e.outputs[0]!));
    const inputs = new Set<Var>();
    for (const e of g.eqns) for (const v of e.inputs) if (!made.has(v)) inputs.add(v);
    g.inputs = [...inputs];
    g.outputs = [...made].filter(
      (v) => results.has(v) || [...(consumers.get(v) ?? [])].some((c) => !members.has(c)),
    );
    const js = generateKernel(g);
    const lowered = lowering?.(g, js) ?? null;
    return [
      {
        kind: 'fused',
        group: g,
        kernel: lowered ?? js,
        wasm: lowered !== null,
        inPlace: inPlaceInputs(g),
      },
    ];
  });
}

/**
 * How a generated loop reads one input: the element itself, a hoisted scalar, or through broadcast strides
 * (an odometer over the output's axes, advanced once per element).
 */
type Access =
  | { kind: 'full' }
  | { kind: 'scalar' }
  | { kind: 'strided'; strides: readonly number[] };

/** The access pattern of an input of `shape` broadcast to the output shape `out`. */
export function accessOf(shape: readonly number[], out: readonly number[]): Access {
  if (sizeOf(shape) === 1) return { kind: 'scalar' };
  if (shapesEqual(shape, out)) return { kind: 'full' };
  // row-major strides of the input seen through broadcasting (0 on broadcast and missing axes)
  const strides = new Array<number>(out.length).fill(0);
  let step = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    const axis = out.length - shape.length + k;
    if (shape[k] !== 1) strides[axis] = step;
    step *= shape[k]!;
  }
  if (sizeOf(shape) === sizeOf(out)) return { kind: 'full' };
  return { kind: 'strided', strides };
}

/**
 * The loop's axes: the output's without size-1 axes, and adjacent axes merged wherever every strided input
 * walks them as one (so a run along the last loop axis is as long as possible), with each strided input's
 * strides over them. Inputs whose pattern collapses to contiguous stay strided with stride 1 (same loop).
 */
export function loopGeometry(
  shape: readonly number[],
  access: readonly Access[],
): { dims: number[]; access: Access[] } {
  const axes = shape.map((_, d) => d).filter((d) => shape[d] !== 1);
  const dims: number[] = [];
  const strides: number[][] = access.map(() => []);
  for (const d of axes) {
    const k = dims.length - 1;
    const mergeable =
      k >= 0 &&
      access.every((a, j) => a.kind !== 'strided' || strides[j]![k] === a.strides[d]! * shape[d]!);
    if (mergeable) {
      dims[k] = dims[k]! * shape[d]!;
      access.forEach((a, j) => {
        if (a.kind === 'strided') strides[j]![k] = a.strides[d]!;
      });
    } else {
      dims.push(shape[d]!);
      access.forEach((a, j) => {
        if (a.kind === 'strided') strides[j]!.push(a.strides[d]!);
      });
    }
  }
  if (dims.length === 0) dims.push(1);
  return {
    dims,
    access: access.map((a, j) =>
      a.kind === 'strided' ? { kind: 'strided', strides: strides[j]! } : a,
    ),
  };
}

/** A generated loop: reads `inputs` (already broadcast-compatible), fills `outputs`. */
export type FusedKernel = (inputs: readonly TypedArray[], outputs: readonly TypedArray[]) => void;

/**
 * The group's equations cut after every tanh (whose block of arguments goes through the wasm kernel): the
 * loop runs each segment over a block before the next, and the segment that makes each value.
 */
export function segmentsOf(g: FusedGroup): { segments: Eqn[][]; segmentOf: Map<Var, number> } {
  const segments: Eqn[][] = [[]];
  for (const e of g.eqns) {
    segments[segments.length - 1]!.push(e);
    if (e.primitive === 'tanh') segments.push([]);
  }
  const segmentOf = new Map<Var, number>();
  segments.forEach((seg, s) => {
    for (const e of seg) segmentOf.set(e.outputs[0]!, s);
  });
  return { segments, segmentOf };
}

/**
 * For each output of a group, the inputs whose memory it may take (write in place) when that input dies at
 * this group: an input of the output's dtype read element for element (`full` access, so element i is read
 * only where element i is written) in no segment after the one that writes the output. The generated loop
 * loads a segment's inputs at the top of each element, before any store, so within the segment every read of
 * element i precedes the store to it; a later segment would read the block after it was overwritten. Sums are
 * never written in place (their accumulators are copied out after the loop, into memory of another size).
 */
export function inPlaceInputs(g: FusedGroup): number[][] {
  const { segments, segmentOf } = segmentsOf(g);
  const lastRead = new Map<Var, number>();
  segments.forEach((seg, s) => {
    for (const e of seg) for (const v of e.inputs) lastRead.set(v, s);
  });
  const sums = new Set(g.eqns.filter((e) => e.primitive === 'sum').map((e) => e.outputs[0]!));
  return g.outputs.map((y) => {
    if (sums.has(y)) return [];
    const written = segmentOf.get(y)!;
    const allowed: number[] = [];
    g.inputs.forEach((v, j) => {
      if (
        v.dtype === y.dtype &&
        accessOf(v.shape, g.shape).kind === 'full' &&
        sizeOf(v.shape) === sizeOf(y.shape) &&
        lastRead.get(v)! <= written
      )
        allowed.push(j);
    });
    return allowed;
  });
}

/** Generates the loop of a group; inputs whose access is `null` must be broadcast to the group's shape first. */
function generateKernel(g: FusedGroup): FusedKernel {
  const n = sizeOf(g.shape);
  // the sums of the group accumulate through strides of their own, after the inputs' in `access`
  const sums = g.eqns.filter((e) => e.primitive === 'sum');
  const sumIndex = new Map(sums.map((e, r) => [e, g.inputs.length + r]));
  const { dims, access } = loopGeometry(g.shape, [
    ...g.inputs.map((v) => accessOf(v.shape, g.shape)),
    ...sums.map(
      (e): Access => ({
        kind: 'strided',
        strides: reductionStrides(g.shape, (e.params as { axes: readonly number[] }).axes),
      }),
    ),
  ]);
  const rank = dims.length;
  const inputIndex = new Map(g.inputs.map((v, j) => [v, j]));
  const outputIndex = new Map(g.outputs.map((v, j) => [v, j]));
  const { segments, segmentOf } = segmentsOf(g);
  // values defined in one segment and used in a later one live in block-sized scratch arrays
  const carried = new Set<Var>();
  segments.forEach((seg, s) => {
    for (const e of seg)
      for (const v of e.inputs) {
        const d = segmentOf.get(v);
        if (d !== undefined && d < s) carried.add(v);
      }
  });
  const tanhArgs = new Set<Var>();
  for (const e of g.eqns) if (e.primitive === 'tanh') tanhArgs.add(e.inputs[0]!);
  const scratchVars = [
    ...new Set([
      ...carried,
      ...tanhArgs,
      ...g.eqns.filter((e) => e.primitive === 'tanh').map((e) => e.outputs[0]!),
    ]),
  ];
  const scratchIndex = new Map(scratchVars.map((v, j) => [v, j]));
  // Eager tanh runs the wasm kernel on the whole array when it has TANH_MIN_LENGTH elements or more, so every
  // block does here too (a short last block included: checking each block's length would switch to Math.tanh
  // there and differ from eager in the last bit). A tanh argument no later segment reads is written straight
  // into the kernel's arena slot and taken in place, saving the copy in — float64 only: for float32 the copy is
  // half the bytes and the direct stores measured no faster (MLP 3×256 jit step 5–10 % slower, A/B quiet).
  const stages = { float64: tanhStage('float64'), float32: tanhStage('float32') };
  const kernelTanh = n >= TANH_MIN_LENGTH;
  const staged = new Set<Var>();
  for (const e of g.eqns) {
    const x = e.inputs[0]!;
    if (
      e.primitive === 'tanh' &&
      kernelTanh &&
      x.dtype === 'float64' &&
      stages.float64 !== null &&
      !carried.has(x)
    )
      staged.add(x);
  }

  const round = (dtype: DType, expr: string): string =>
    dtype === 'float32' ? `Math.fround(${expr})` : expr;
  const lines: string[] = [];
  lines.push(`const N = ${n};`);
  g.inputs.forEach((_, j) => {
    lines.push(`const in${j} = inputs[${j}];`);
    if (access[j]!.kind === 'scalar') lines.push(`const x${j} = in${j}[0];`);
  });
  g.outputs.forEach((_, j) => {
    lines.push(`const out${j} = outputs[${j}];`);
  });
  scratchVars.forEach((v, j) => {
    lines.push(staged.has(v) ? `let s${j};` : `const s${j} = scratch[${j}];`);
  });
  for (const j of sumIndex.values())
    lines.push(`const o${j}acc = acc[${j - g.inputs.length}].fill(0);`);
  lines.push(`for (let start = 0; start < N; start += ${BLOCK}) {`);
  lines.push(`  const len = Math.min(${BLOCK}, N - start);`);
  segments.forEach((seg, s) => {
    if (seg.length === 0) return;
    const body: string[] = [];
    const hoisted: string[] = [];
    const loaded = new Set<Var>();
    const counters: number[] = [];
    const operand = (v: Var): string => {
      const j = inputIndex.get(v);
      if (j !== undefined) {
        const a = access[j]!;
        if (a.kind === 'scalar') return `x${j}`;
        if (!loaded.has(v)) {
          loaded.add(v);
          if (a.kind === 'full') body.push(`const i${j} = in${j}[i];`);
          else {
            counters.push(j);
            // along the run (the last loop axis) the input is constant, contiguous or evenly spaced
            const s = a.strides[rank - 1]!;
            if (s === 0) hoisted.push(`const i${j} = in${j}[o${j}];`);
            else body.push(`const i${j} = in${j}[o${j} + ${s === 1 ? 't' : `t * ${s}`}];`);
          }
        }
        return `i${j}`;
      }
      if (segmentOf.get(v)! < s) {
        if (!loaded.has(v)) {
          loaded.add(v);
          body.push(`const t${v.id} = s${scratchIndex.get(v)}[k];`);
        }
      }
      return `t${v.id}`;
    };
    // every input of the segment is loaded before anything is stored: an output may share an input's memory
    // (written in place, see inPlaceInputs), and its element must have been read first
    for (const e of seg) for (const v of e.inputs) if (inputIndex.has(v)) operand(v);
    for (const e of seg) {
      const y = e.outputs[0]!;
      const ins = e.inputs.map(operand);
      const r = sumIndex.get(e);
      if (r !== undefined) {
        // in float64, element by element in row-major order, as eager reduceAxes does
        counters.push(r);
        const step = (access[r] as { strides: readonly number[] }).strides[rank - 1]!;
        const at = step === 0 ? '' : step === 1 ? ' + t' : ` + t * ${step}`;
        body.push(`o${r}acc[o${r}${at}] += ${ins[0]};`);
        continue;
      }
      let expr: string;
      if (e.primitive === 'tanh') {
        // a value computed in this segment was stored to its scratch slot where it was made
        if (segmentOf.get(e.inputs[0]!) !== s)
          body.push(`s${scratchIndex.get(e.inputs[0]!)}[k] = ${ins[0]};`);
        continue;
      } else if (e.primitive === 'cast') {
        const to = (e.params as { dtype: DType }).dtype;
        expr = to === 'bool' ? `(${ins[0]} !== 0 ? 1 : 0)` : round(to, ins[0]!);
      } else if (e.primitive === 'where') {
        expr = `(${ins[0]} ? ${ins[1]} : ${ins[2]})`;
      } else if (UNARY[e.primitive]) {
        expr = round(y.dtype, UNARY[e.primitive]!(`(${ins[0]})`));
      } else {
        expr = round(y.dtype, BINARY[e.primitive]!(`(${ins[0]})`, `(${ins[1]})`));
      }
      body.push(`const t${y.id} = ${expr};`);
      loaded.add(y);
      const o = outputIndex.get(y);
      if (o !== undefined) body.push(`out${o}[i] = t${y.id};`);
      if (carried.has(y) || tanhArgs.has(y)) body.push(`s${scratchIndex.get(y)}[k] = t${y.id};`);
    }
    const st = (j: number): readonly number[] =>
      (access[j] as { strides: readonly number[] }).strides;
    // the odometer carry: a wrapped axis d+1 resets and moves axis d one step
    const advance = (d: number, indent: string): void => {
      for (const j of counters) {
        const s = st(j);
        const delta = s[d]! - dims[d + 1]! * s[d + 1]!;
        if (delta !== 0) lines.push(`${indent}o${j} += ${delta};`);
      }
    };
    const carry = (d: number, indent: string): void => {
      if (d < 0) return;
      lines.push(`${indent}if (++m${d + 1} === ${dims[d + 1]}) {`);
      lines.push(`${indent}  m${d + 1} = 0;`);
      advance(d, `${indent}  `);
      carry(d - 1, `${indent}  `);
      lines.push(`${indent}}`);
    };
    lines.push('  {');
    const closing = seg[seg.length - 1]!;
    if (closing.primitive === 'tanh' && staged.has(closing.inputs[0]!)) {
      const x = closing.inputs[0]!;
      lines.push(`  s${scratchIndex.get(x)} = stage_${stageDtype(x.dtype)}.view();`);
    }
    if (counters.length > 0) {
      // the odometer at the block's first element, and each strided input's offset there
      lines.push('  let rest = start;');
      for (let d = rank - 1; d >= 0; d--) {
        lines.push(`  let m${d} = rest % ${dims[d]}; rest = (rest - m${d}) / ${dims[d]};`);
      }
      for (const j of counters) {
        const terms = st(j)
          .map((s, d) => (s === 0 ? '' : `m${d} * ${s}`))
          .filter(Boolean);
        lines.push(`  let o${j} = ${terms.length > 0 ? terms.join(' + ') : '0'};`);
      }
    }
    if (counters.length === 0) {
      lines.push('  for (let k = 0; k < len; k++) {');
      lines.push('    const i = start + k;');
      for (const b of body) lines.push(`    ${b}`);
      lines.push('  }');
    } else {
      // runs along the last axis: a tight inner loop per run, the odometer advanced once per run
      const last = rank - 1;
      lines.push('  for (let k0 = 0; k0 < len; ) {');
      lines.push(`    const run = Math.min(len - k0, ${dims[last]} - m${last});`);
      for (const h of hoisted) lines.push(`    ${h}`);
      lines.push('    for (let t = 0; t < run; t++) {');
      lines.push('      const k = k0 + t;');
      lines.push('      const i = start + k;');
      for (const b of body) lines.push(`      ${b}`);
      lines.push('    }');
      lines.push('    k0 += run;');
      for (const j of counters) {
        const s = st(j)[last]!;
        if (s !== 0) lines.push(`    o${j} += run * ${s};`);
      }
      if (rank > 1) {
        lines.push(`    m${last} += run;`);
        lines.push(`    if (m${last} === ${dims[last]}) {`);
        lines.push(`      m${last} = 0;`);
        advance(last - 1, '      ');
        carry(last - 2, '      ');
        lines.push('    }');
      }
      lines.push('  }');
    }
    lines.push('  }');
    // the tanh ending this segment: the wasm kernel on the block, then its outputs if they leave the group
    const last = seg[seg.length - 1]!;
    if (last.primitive === 'tanh') {
      const x = scratchIndex.get(last.inputs[0]!)!;
      const y = last.outputs[0]!;
      const sy = scratchIndex.get(y)!;
      const fn = y.dtype === 'float32' ? 'tanhF32' : 'tanhF64';
      const o = outputIndex.get(y);
      const stage = `stage_${stageDtype(y.dtype)}`;
      if (kernelTanh && stages[stageDtype(y.dtype)] !== null) {
        // the argument is in the arena already, or is copied there from its scratch block
        if (!staged.has(last.inputs[0]!))
          lines.push(`  ${stage}.view().set(s${x}.subarray(0, len));`);
        if (o !== undefined && !carried.has(y))
          lines.push(`  ${stage}.apply(len, out${o}, start);`);
        else {
          lines.push(`  ${stage}.apply(len, s${sy}, 0);`);
          if (o !== undefined) lines.push(`  out${o}.set(s${sy}.subarray(0, len), start);`);
        }
      } else if (o !== undefined && !carried.has(y)) {
        // a result only: tanhF64 writes straight into the output
        lines.push(`  ${fn}(s${x}.subarray(0, len), out${o}.subarray(start, start + len));`);
      } else {
        lines.push(`  ${fn}(s${x}.subarray(0, len), s${sy}.subarray(0, len));`);
        if (o !== undefined) lines.push(`  out${o}.set(s${sy}.subarray(0, len), start);`);
      }
    }
  });
  lines.push('}');
  sums.forEach((e, r) => {
    lines.push(`out${outputIndex.get(e.outputs[0]!)}.set(acc[${r}]);`);
  });
  const factory = new Function(
    'scratch',
    'acc',
    'tanhF64',
    'tanhF32',
    'stage_float64',
    'stage_float32',
    `return function fused(inputs, outputs) {\n${lines.join('\n')}\n};`,
  );
  const scratch = scratchVars.map((v) =>
    v.dtype === 'float32' ? new Float32Array(BLOCK) : new Float64Array(BLOCK),
  );
  const acc = sums.map((e) => new Float64Array(sizeOf(e.outputs[0]!.shape)));
  return factory(scratch, acc, tanhF64, tanhF32, stages.float64, stages.float32) as FusedKernel;
}

/** Elements of the group's loop (for tests and the buffer plan). */
export function groupSize(g: FusedGroup): number {
  return sizeOf(g.shape);
}

export { isFloatDType };
