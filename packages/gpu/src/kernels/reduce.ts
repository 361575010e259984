/**
 * Reductions along axes (sum, prod, max, min) and arg-reductions. The input is a contiguous array; a
 * reduction sees it as (kept coordinates) × (reduced coordinates), each unravelled through the input's
 * strides, so any set of axes reduces without a transpose.
 *
 * Two strategies: many outputs with short reductions use one thread per output (serial loop, coalesced
 * across threads); long reductions use a workgroup per output with a shared-memory tree, and very long
 * ones with few outputs run in two passes (chunks to partials, partials to results).
 */
import { type DType, type ReducePrimitive, stridesOf } from '@sciml/linalg';
import type { KernelSource } from '../exec/pipelines.js';
import {
  FLAT_INDEX,
  MAIN_1D,
  MATH_LIB,
  Params,
  WG,
  grid,
  int,
  paramsDecl,
  rowsFor,
  wgslType,
} from './wgsl.js';

/** Accumulating reductions. */
export type Accumulate = Exclude<ReducePrimitive, 'argmax' | 'argmin'>;

/** A planned reduction pass: kernel, parameters and grid. */
export interface ReducePass {
  readonly kernel: KernelSource;
  readonly params: Params;
  readonly groups: [number, number, number];
  /** Elements this pass writes. */
  readonly outSize: number;
}

function identity(op: Accumulate, t: string): string {
  if (t === 'f32') return { sum: '0.0', prod: '1.0', max: '-inf_f()', min: 'inf_f()' }[op];
  if (t === 'i32') return { sum: '0', prod: '1', max: '(-2147483647 - 1)', min: '2147483647' }[op];
  return { sum: '0u', prod: '1u', max: '0u', min: '4294967295u' }[op];
}

function combine(op: Accumulate, t: string, a: string, b: string): string {
  if (op === 'sum') return `${a} + ${b}`;
  if (op === 'prod') return `${a} * ${b}`;
  if (t === 'f32') return `${op}_f(${a}, ${b})`;
  return `${op}(${a}, ${b})`;
}

/** The (kept, reduced) view of a contiguous input: dims and input strides of each group. */
export interface ReduceGeometry {
  readonly keptDims: number[];
  readonly keptStrides: number[];
  readonly redDims: number[];
  readonly redStrides: number[];
  readonly outCount: number;
  readonly redCount: number;
}

/** Splits the axes of a contiguous `shape` into kept and reduced groups, merging adjacent axes where possible. */
export function reduceGeometry(shape: readonly number[], axes: readonly number[]): ReduceGeometry {
  const strides = stridesOf(shape);
  const set = new Set(axes);
  const kept: [number, number][] = [];
  const red: [number, number][] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const group = set.has(i) ? red : kept;
    const last = group[group.length - 1];
    // axis i merges with the previous one of its group when they are adjacent in memory
    if (last && last[1] === d * strides[i]!) group[group.length - 1] = [last[0] * d, strides[i]!];
    else group.push([d, strides[i]!]);
  });
  const prod = (g: [number, number][]) => g.reduce((p, [d]) => p * d, 1);
  return {
    keptDims: kept.map(([d]) => d),
    keptStrides: kept.map(([, s]) => s),
    redDims: red.map(([d]) => d),
    redStrides: red.map(([, s]) => s),
    outCount: shape.some((d) => d === 0) && kept.length === 0 ? 1 : prod(kept),
    redCount: shape.some((d) => d === 0) ? 0 : prod(red),
  };
}

function offsetCode(name: string, index: string, dimsAt: number, rank: number): string {
  if (rank === 0) return `let ${name} = 0u;`;
  const lines = [`var ${name} = 0u;`, `{ var rem = ${index};`];
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(`  ${name} += (rem % pu(${dimsAt + d}u)) * pu(${dimsAt + rank + d}u);`);
    if (d > 0) lines.push(`  rem = rem / pu(${dimsAt + d}u);`);
  }
  lines.push('}');
  return lines.join('\n  ');
}

/** Thread-per-output reduction (serial over the reduced elements). */
function serialKernel(
  op: Accumulate,
  dtype: DType,
  kr: number,
  rr: number,
  rows: number,
): KernelSource {
  const t = wgslType(dtype);
  const code = `${paramsDecl(rows)}
${MATH_LIB}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let red = pu(1u);
  ${offsetCode('base', 'i', 2, kr)}
  var acc: ${t} = ${identity(op, t)};
  for (var r = 0u; r < red; r++) {
    ${offsetCode('off', 'r', 2 + 2 * kr, rr)}
    acc = ${combine(op, t, 'acc', 'x[base + off]')};
  }
  out[i] = acc;
}`;
  return { key: `reduce_serial|${op}|${dtype}|${kr}|${rr}|${rows}`, name: `${op}_serial`, code };
}

/** Workgroup-per-(output, chunk) reduction with a shared-memory tree. */
function treeKernel(
  op: Accumulate,
  dtype: DType,
  kr: number,
  rr: number,
  rows: number,
  subgroups: boolean,
): KernelSource {
  const t = wgslType(dtype);
  // Subgroup variant (sums only: subgroupMax/Min leave NaN handling unspecified): each subgroup adds its
  // values in registers, one shared slot per subgroup, then the first thread adds the slots.
  const combineStage = subgroups
    ? `let sg = subgroupAdd(acc);
  if (sgi == 0u) { part[lid / sgs] = sg; }
  workgroupBarrier();
  if (lid == 0u && w < total) {
    var s = part[0];
    for (var k = 1u; k < ${WG}u / sgs; k++) { s = s + part[k]; }
    out[w] = s;
  }`
    : `part[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = ${combine(op, t, 'part[lid]', 'part[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u && w < total) { out[w] = part[0]; }`;
  const sgBuiltins = subgroups
    ? ', @builtin(subgroup_invocation_id) sgi: u32, @builtin(subgroup_size) sgs: u32'
    : '';
  const code = `${subgroups ? 'enable subgroups;\n' : ''}${paramsDecl(rows)}
${MATH_LIB}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
var<workgroup> part: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32${sgBuiltins}) {
  let w = wid.y * nwg.x + wid.x;
  let total = pu(0u);
  let red = pu(1u);
  let chunks = pu(${int(2 + 2 * kr + 2 * rr)}u);
  let chunkLen = pu(${int(3 + 2 * kr + 2 * rr)}u);
  let o = w / chunks;
  let c = w % chunks;
  var acc: ${t} = ${identity(op, t)};
  if (w < total) {
    ${offsetCode('base', 'o', 2, kr)}
    let r0 = c * chunkLen;
    let r1 = min(red, r0 + chunkLen);
    for (var r = r0 + lid; r < r1; r += ${WG}u) {
      ${offsetCode('off', 'r', 2 + 2 * kr, rr)}
      acc = ${combine(op, t, 'acc', 'x[base + off]')};
    }
  }
  ${combineStage}
}`;
  const sg = subgroups ? '_subgroups' : '';
  return {
    key: `reduce_tree${sg}|${op}|${dtype}|${kr}|${rr}|${rows}`,
    name: `${op}_tree${sg}`,
    code,
  };
}

function geometryParams(
  g: { keptDims: number[]; keptStrides: number[]; redDims: number[]; redStrides: number[] },
  total: number,
  red: number,
): Params {
  const p = new Params().u32(total).u32(red);
  for (const v of [...g.keptDims, ...g.keptStrides, ...g.redDims, ...g.redStrides]) p.u32(v);
  return p;
}

/**
 * Plans the passes of a reduction of a contiguous array of `shape` over `axes`. The second pass (when there
 * is one) reads the first pass's partials as a contiguous (outCount, chunks) array.
 */
export function planReduce(
  op: Accumulate,
  dtype: DType,
  shape: readonly number[],
  axes: readonly number[],
  subgroups = false,
): ReducePass[] {
  // subgroup sums need subgroups of at least 4 lanes dividing the workgroup, which the caller checks
  const sg = subgroups && op === 'sum';
  const g = reduceGeometry(shape, axes);
  const kr = g.keptDims.length;
  const rr = g.redDims.length;
  if (g.redCount <= 64 || g.outCount >= 4096) {
    const p = geometryParams(g, g.outCount, g.redCount);
    const rows = rowsFor(p.length);
    return [
      {
        kernel: serialKernel(op, dtype, kr, rr, rows),
        params: p,
        groups: grid(g.outCount),
        outSize: g.outCount,
      },
    ];
  }
  // long reductions: split each into chunks of ≥ 4096 elements when there are few outputs
  const chunks = g.outCount >= 64 ? 1 : Math.min(256, Math.max(1, Math.floor(g.redCount / 4096)));
  const chunkLen = Math.ceil(g.redCount / chunks);
  const p1 = geometryParams(g, g.outCount * chunks, g.redCount)
    .u32(chunks)
    .u32(chunkLen);
  const rows1 = rowsFor(p1.length);
  const first: ReducePass = {
    kernel: treeKernel(op, dtype, kr, rr, rows1, sg),
    params: p1,
    groups: grid(g.outCount * chunks, 1),
    outSize: g.outCount * chunks,
  };
  if (chunks === 1) return [first];
  // partials (outCount, chunks) reduced along their last axis
  const g2 = { keptDims: [g.outCount], keptStrides: [chunks], redDims: [chunks], redStrides: [1] };
  const p2 = geometryParams(g2, g.outCount, chunks).u32(1).u32(chunks);
  const rows2 = rowsFor(p2.length);
  const second: ReducePass = {
    kernel: treeKernel(op, dtype, 1, 1, rows2, sg),
    params: p2,
    groups: grid(g.outCount, 1),
    outSize: g.outCount,
  };
  return [first, second];
}

/** Argmax / argmin along one axis of a contiguous (outer, n, inner) array; first occurrence, NaN wins. */
export function argReduceKernel(op: 'argmax' | 'argmin', dtype: DType): KernelSource {
  const t = wgslType(dtype);
  const better = op === 'argmax' ? '>' : '<';
  const nanCheck = t === 'f32';
  const code = `${paramsDecl(1)}
${MATH_LIB}
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let n = pu(1u);
  let inner = pu(2u);
  let base = (i / inner) * n * inner + i % inner;
  var best = x[base];
  var bi = 0u;
  ${nanCheck ? 'if (!isnan_f(best)) {' : '{'}
    for (var k = 1u; k < n; k++) {
      let v = x[base + k * inner];
      ${nanCheck ? 'if (isnan_f(v)) { bi = k; break; }' : ''}
      if (v ${better} best) { best = v; bi = k; }
    }
  }
  out[i] = i32(bi);
}`;
  return { key: `argreduce|${op}|${dtype}`, name: op, code };
}
