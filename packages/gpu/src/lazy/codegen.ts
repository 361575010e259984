/**
 * Generates one WGSL kernel for a fusion DAG. The kernel's text depends only on the DAG's structure (ops,
 * dtypes, rank and how each leaf is indexed); bases, strides, shapes and constants travel as parameters,
 * so one compiled pipeline serves every shape and value.
 */
import type { DType } from '@sciml/linalg';
import type { Storage } from '../memory/pool.js';
import type { KernelSource } from '../exec/pipelines.js';
import {
  FLAT_INDEX,
  MAIN_1D,
  MATH_LIB,
  Params,
  type WgslScalar,
  paramsDecl,
  rowsFor,
  wgslType,
} from '../kernels/wgsl.js';
import {
  type ElementOp,
  type Expr,
  type ExprNode,
  isFlatView,
  isScalarView,
  topoNodes,
} from './expr.js';

/** A compiled DAG: the kernel, its parameters and the buffers to bind after the output. */
export interface ExprKernel {
  readonly kernel: KernelSource;
  readonly params: Params;
  readonly inputs: readonly Storage[];
}

type Arg = { readonly code: string; readonly t: WgslScalar };

const F = (op: string) => (a: Arg[]) => `${op}(${a[0]!.code})`;

/** WGSL of each unary op, per compute type. */
function unary(op: ElementOp, x: Arg): string {
  if (x.t === 'f32') {
    const table: Partial<Record<ElementOp, (a: Arg[]) => string>> = {
      neg: (a) => `(-${a[0]!.code})`,
      abs: F('abs'),
      sign: F('sign_f'),
      floor: F('floor'),
      exp: F('exp'),
      log: F('log_f'),
      log1p: F('log1p_f'),
      expm1: F('expm1_f'),
      sqrt: F('sqrt_f'),
      sin: F('sin'),
      cos: F('cos'),
      tanh: F('tanh_f'),
      sigmoid: F('sigmoid_f'),
    };
    return table[op]!([x]);
  }
  if (x.t === 'i32') {
    if (op === 'neg') return `(-${x.code})`;
    if (op === 'abs') return `abs(${x.code})`;
    if (op === 'sign') return `sign(${x.code})`;
    return x.code; // floor of an integer
  }
  // bool: every unary op keeps truthiness as on the CPU's Uint8 storage (neg(1) = 255 there)
  return x.code;
}

function binary(op: ElementOp, a: Arg, b: Arg): string {
  const t = a.t;
  switch (op) {
    case 'add':
      return `(${a.code} + ${b.code})`;
    case 'sub':
      return `(${a.code} - ${b.code})`;
    case 'mul':
      return `(${a.code} * ${b.code})`;
    case 'div':
      return t === 'f32'
        ? `(${a.code} / ${b.code})`
        : `div_${t === 'i32' ? 'i' : 'u'}(${a.code}, ${b.code})`;
    case 'pow':
      if (t === 'f32') return `pow_f(${a.code}, ${b.code})`;
      if (t === 'i32') return `pow_i(${a.code}, ${b.code})`;
      return `select(${a.code}, 1u, ${b.code} == 0u)`;
    case 'maximum':
      return t === 'f32' ? `max_f(${a.code}, ${b.code})` : `max(${a.code}, ${b.code})`;
    case 'minimum':
      return t === 'f32' ? `min_f(${a.code}, ${b.code})` : `min(${a.code}, ${b.code})`;
    default:
      return compare(op, a, b);
  }
}

const CMP: Partial<Record<ElementOp, string>> = {
  less: '<',
  lessEqual: '<=',
  greater: '>',
  greaterEqual: '>=',
  equal: '==',
  notEqual: '!=',
};

function compare(op: ElementOp, a: Arg, b: Arg): string {
  const sym = CMP[op];
  if (!sym) throw new Error(`no WGSL for elementwise op ${op}`);
  // operands of different dtypes (possible through bind) compare as float32, as promotion would
  const [x, y] = a.t === b.t ? [a.code, b.code] : [cast(a, 'f32'), cast(b, 'f32')];
  return `select(0u, 1u, ${x} ${sym} ${y})`;
}

function cast(x: Arg, to: WgslScalar): string {
  if (x.t === to) return x.code;
  if (to === 'u32')
    return x.t === 'f32'
      ? `select(0u, 1u, nonzero_f(${x.code}))`
      : `select(0u, 1u, ${x.code} != 0)`;
  if (to === 'i32')
    return x.t === 'f32' ? `select(i32(${x.code}), 0, isnan_f(${x.code}))` : `i32(${x.code})`;
  return `f32(${x.code})`;
}

/** How a leaf is indexed: by the flat index, at one element, or through strides. */
type Mode = 'flat' | 'scalar' | 'strided';

/** Compiles the DAG of `e` into a kernel writing `outDtype` elements. */
export function compileExpr(e: Expr, outDtype: DType): ExprKernel {
  const nodes = topoNodes(e.root);
  const R = e.shape.length;
  const size = e.shape.reduce((p, d) => p * d, 1);
  const params = new Params();
  params.u32(size);
  for (const d of e.shape) params.u32(d);
  const storages: Storage[] = [];
  const key: string[] = [`ew|R${R}|${outDtype}`];
  const body: string[] = [];
  let needCoords = false;
  const names = new Map<ExprNode, Arg>();
  nodes.forEach((n, id) => {
    const v = `v${id}`;
    if (n.kind === 'const') {
      const t = wgslType(n.dtype);
      const at = params.length;
      params.scalar(n.value, n.dtype);
      key.push(`c${t}`);
      body.push(`let ${v} = ${t === 'f32' ? 'pf' : t === 'i32' ? 'pi' : 'pu'}(${at}u);`);
      names.set(n, { code: v, t });
    } else if (n.kind === 'load') {
      const t = wgslType(n.dtype);
      let b = storages.indexOf(n.storage);
      if (b < 0) b = storages.push(n.storage) - 1;
      const mode: Mode = isFlatView(n.strides, e.shape)
        ? 'flat'
        : isScalarView(n.strides, e.shape)
          ? 'scalar'
          : 'strided';
      key.push(`l${b}${t}${mode[0]}`);
      const at = params.length;
      params.i32(n.base);
      let index: string;
      if (mode === 'flat') index = `u32(pi(${at}u) + i32(i))`;
      else if (mode === 'scalar') index = `u32(pi(${at}u))`;
      else {
        needCoords = true;
        for (const s of n.strides) params.i32(s);
        const terms = n.strides.map((_, d) => ` + i32(c${d}) * pi(${at + 1 + d}u)`).join('');
        index = `u32(pi(${at}u)${terms})`;
      }
      body.push(`let ${v} = in${b}[${index}];`);
      names.set(n, { code: v, t });
    } else {
      const args = n.args.map((a) => names.get(a)!);
      const t = wgslType(n.dtype);
      let code: string;
      if (n.op === 'cast') code = cast(args[0]!, t);
      else if (n.op === 'where')
        code = `select(${args[2]!.code}, ${args[1]!.code}, ${cast(args[0]!, 'u32')} != 0u)`;
      else if (args.length === 1) code = unary(n.op, args[0]!);
      else code = binary(n.op, args[0]!, args[1]!);
      key.push(`o${n.op}${t}(${n.args.map((a) => nodes.indexOf(a)).join(',')})`);
      body.push(`let ${v} = ${code};`);
      names.set(n, { code: v, t });
    }
  });
  const rows = rowsFor(params.length);
  key.push(`p${rows}`);
  const outT = wgslType(outDtype);
  const root = names.get(e.root)!;
  // the source is assembled only when the pipeline cache misses (a getter): hits need just the key
  const source = (): string => {
    const coords: string[] = [];
    if (needCoords) {
      coords.push('var rem = i;');
      for (let d = R - 1; d >= 0; d--) {
        coords.push(`let c${d} = rem % pu(${1 + d}u);`);
        if (d > 0) coords.push(`rem = rem / pu(${1 + d}u);`);
      }
    }
    const decls = storages.map(
      (s, b) =>
        `@group(0) @binding(${b + 2}) var<storage, read> in${b}: array<${wgslTypeOf(nodes, s)}>;`,
    );
    return `${paramsDecl(rows)}
${MATH_LIB}
@group(0) @binding(1) var<storage, read_write> out: array<${outT}>;
${decls.join('\n')}
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  ${coords.join('\n  ')}
  ${body.join('\n  ')}
  out[i] = ${cast(root, outT)};
}`;
  };
  const name = `fused_${
    nodes
      .filter((n) => n.kind === 'op')
      .map((n) => (n as { op: string }).op)
      .join('_') || 'copy'
  }`.slice(0, 80);
  return {
    kernel: {
      key: key.join(';'),
      name,
      get code() {
        return source();
      },
    },
    params,
    inputs: storages,
  };
}

function wgslTypeOf(nodes: readonly ExprNode[], s: Storage): WgslScalar {
  const load = nodes.find((n) => n.kind === 'load' && n.storage === s);
  return wgslType(load!.dtype);
}
