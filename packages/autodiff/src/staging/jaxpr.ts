/**
 * The traced program (a "jaxpr", after JAX): a list of primitive equations over abstract values — shape and
 * dtype, no data — with the function's inputs, its captured constants and its outputs. Every staged
 * transform (`jit`, `vmap`) is an interpreter of this one IR.
 */
import {
  type DType,
  type NDArray,
  type Primitive,
  type PrimitiveParams,
  type TypedArray,
  formatShape,
} from '@sciml/linalg';

/** An abstract value of the program: one array of known shape and dtype. @public */
export interface Var {
  /** Unique within its program; printed as a letter sequence. */
  readonly id: number;
  /** Shape of the array it stands for. */
  readonly shape: readonly number[];
  /** Element type of the array it stands for. */
  readonly dtype: DType;
}

/** Where a constant of the program comes from. */
export type ConstSource =
  /** created inside the traced function from host numbers (scalars of `mul(x, 2)`, `zeros`, masks) */
  | { readonly kind: 'literal'; readonly values: TypedArray }
  /** an array of another backend the function closed over, bound by reference */
  | { readonly kind: 'captured'; readonly array: NDArray };

/** A constant input of the program. @public */
export interface ConstVar extends Var {
  /** A literal's values, or the captured array. */
  readonly source: ConstSource;
}

/** One primitive application: `outputs = primitive[params](inputs)`. @public */
export interface Eqn<P extends Primitive = Primitive> {
  /** The primitive applied. */
  readonly primitive: P;
  /** Its array operands. */
  readonly inputs: readonly Var[];
  /** Its results. */
  readonly outputs: readonly Var[];
  /** Its parameters (axes, shapes, flags), as `bind` received them. */
  readonly params: PrimitiveParams<P>;
}

/** A traced program: inputs, constants, equations in execution order, outputs. @public */
export interface Jaxpr {
  /** The flattened array arguments. */
  readonly inVars: readonly Var[];
  /** Constants: literals made during the trace and captured arrays. */
  readonly constVars: readonly ConstVar[];
  /** The equations, each after those it depends on. */
  readonly eqns: readonly Eqn[];
  /** The flattened array results. */
  readonly outVars: readonly Var[];
}

/** The name of variable `id`: a, b, …, z, ba, bb, … (as JAX prints them). */
function varName(id: number): string {
  let n = id;
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

const DTYPE_SHORT: Record<DType, string> = {
  float64: 'f64',
  float32: 'f32',
  int32: 'i32',
  bool: 'bool',
  complex128: 'c128',
  complex64: 'c64',
};

/** `name:f64[3,4]`, the printed form of a variable with its type. */
function typed(v: Var): string {
  return `${varName(v.id)}:${DTYPE_SHORT[v.dtype]}[${v.shape.join(',')}]`;
}

function formatParam(value: unknown): string {
  return Array.isArray(value) ? `(${value.join(',')})` : String(value);
}

function formatConst(c: ConstVar): string {
  if (c.source.kind === 'captured') return `${typed(c)} = captured ${formatShape(c.shape)}`;
  const v = c.source.values;
  const shown = v.length === 1 ? String(v[0]) : `[${v.length} values]`;
  return `${typed(c)} = ${shown}`;
}

/**
 * The program as text, one equation a line, in JAX's layout:
 * `{ lambda c:f64[] ; a:f64[3] . let b:f64[3] = mul a c in (b) }`.
 */
export function formatJaxpr(jaxpr: Jaxpr): string {
  const lines: string[] = [];
  const consts = jaxpr.constVars.map(typed).join(' ');
  const ins = jaxpr.inVars.map(typed).join(' ');
  lines.push(`{ lambda ${consts}${consts ? ' ' : ''}; ${ins}. let`);
  for (const c of jaxpr.constVars) lines.push(`    # ${formatConst(c)}`);
  for (const e of jaxpr.eqns) {
    const params = Object.entries(e.params as Record<string, unknown>)
      .map(([k, v]) => `${k}=${formatParam(v)}`)
      .join(' ');
    const lhs = e.outputs.map(typed).join(' ');
    const rhs = e.inputs.map((v) => varName(v.id)).join(' ');
    lines.push(`    ${lhs} = ${e.primitive}${params ? `[${params}]` : ''} ${rhs}`);
  }
  lines.push(`  in (${jaxpr.outVars.map((v) => varName(v.id)).join(', ')}) }`);
  return lines.join('\n');
}
