/**
 * A minimal WebAssembly binary encoder: enough of the format (WebAssembly Core Specification 2.0, §5
 * "Binary Format", with the fixed-width SIMD proposal's `0xfd` opcodes) to emit one module of functions that
 * import a memory and other functions — what `jit` needs to turn a fused elementwise group into SIMD code.
 */

/** Value types (§5.3.1). */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
/** One value type's byte. */
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Core opcodes used by the generated code (§5.4). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eq: 0x46,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
} as const;

/** SIMD opcodes (after the `0xfd` prefix, LEB128-encoded), from the fixed-width SIMD proposal. */
export const Simd = {
  load: 0x00,
  store: 0x0b,
  /** i8x16.shuffle: followed by 16 lane-index bytes */
  shuffle: 0x0d,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  and: 0x4e,
  bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f32x4Floor: 0x68,
  f64x2Floor: 0x75,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
} as const;

/** Appends the unsigned LEB128 encoding of `n` (a non-negative integer below 2³²). */
export function uleb(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new RangeError(`uleb: ${n} is not a u32`);
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
}

/** Appends the signed LEB128 encoding of `n` (an integer in the i32 range). */
export function sleb(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff)
    throw new RangeError(`sleb: ${n} is not an i32`);
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function name(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  out.push(...bytes);
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  for (const b of body) out.push(b);
}

/** A function signature. */
export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** An instruction stream under construction (one function body's expression). */
export class Code {
  readonly bytes: number[] = [];
  /** Appends raw opcodes and immediates. */
  op(...bytes: number[]): this {
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  localGet(i: number): this {
    this.bytes.push(Op.localGet);
    uleb(this.bytes, i);
    return this;
  }
  localSet(i: number): this {
    this.bytes.push(Op.localSet);
    uleb(this.bytes, i);
    return this;
  }
  i32Const(n: number): this {
    this.bytes.push(Op.i32Const);
    sleb(this.bytes, n);
    return this;
  }
  /** `f64.const` (or `f32.const` with `f32`): the value's IEEE bytes, little-endian. */
  floatConst(x: number, f32 = false): this {
    const bytes = new Uint8Array(f32 ? 4 : 8);
    const view = new DataView(bytes.buffer);
    if (f32) view.setFloat32(0, x, true);
    else view.setFloat64(0, x, true);
    this.bytes.push(f32 ? Op.f32Const : Op.f64Const, ...bytes);
    return this;
  }
  call(f: number): this {
    this.bytes.push(Op.call);
    uleb(this.bytes, f);
    return this;
  }
  /** A SIMD instruction without immediates. */
  simd(op: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, op);
    return this;
  }
  /** `v128.load` / `v128.store` with 16-byte alignment and a constant byte offset. */
  simdMem(op: typeof Simd.load | typeof Simd.store, offset = 0): this {
    this.simd(op);
    uleb(this.bytes, 4);
    uleb(this.bytes, offset);
    return this;
  }
  /** Opens a `loop` (or `block`) with an empty block type. */
  open(kind: typeof Op.loop | typeof Op.block): this {
    this.bytes.push(kind, 0x40);
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(Op.brIf);
    uleb(this.bytes, depth);
    return this;
  }
  end(): this {
    this.bytes.push(Op.end);
    return this;
  }
}

/** A function defined by the module. */
export interface FuncDef {
  readonly type: FuncType;
  /** Locals after the parameters, in order. */
  readonly locals: readonly ValType[];
  readonly body: Code;
  /** Exported under this name, if given. */
  readonly exportAs?: string;
}

/** The module's imports: an optional memory (`env.memory`) and functions (`env.<name>`), in index order. */
export interface ModuleSpec {
  readonly memory?: {
    readonly minPages: number;
    readonly maxPages?: number;
    readonly shared: boolean;
  };
  readonly importFuncs: readonly { readonly name: string; readonly type: FuncType }[];
  readonly funcs: readonly FuncDef[];
}

/**
 * The binary of a module. Imported functions take the first function indices (in `importFuncs` order), then
 * the defined ones. Shared memory needs a maximum (threads proposal): that is checked here.
 */
export function encodeModule(spec: ModuleSpec): Uint8Array {
  const types: FuncType[] = [];
  const typeKey: string[] = [];
  const typeIndex = (t: FuncType): number => {
    const key = `${t.params.join(',')}->${t.results.join(',')}`;
    let i = typeKey.indexOf(key);
    if (i < 0) {
      i = types.length;
      types.push(t);
      typeKey.push(key);
    }
    return i;
  };
  const importTypes = spec.importFuncs.map((f) => typeIndex(f.type));
  const funcTypes = spec.funcs.map((f) => typeIndex(f.type));

  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const typeSec: number[] = [];
  uleb(typeSec, types.length);
  for (const t of types) {
    typeSec.push(0x60);
    uleb(typeSec, t.params.length);
    typeSec.push(...t.params);
    uleb(typeSec, t.results.length);
    typeSec.push(...t.results);
  }
  section(out, 1, typeSec);

  const importSec: number[] = [];
  uleb(importSec, spec.importFuncs.length + (spec.memory ? 1 : 0));
  if (spec.memory) {
    const { minPages, maxPages, shared } = spec.memory;
    if (shared && maxPages === undefined)
      throw new RangeError('encodeModule: a shared memory needs a maximum');
    name(importSec, 'env');
    name(importSec, 'memory');
    importSec.push(0x02, (maxPages === undefined ? 0 : 1) | (shared ? 2 : 0));
    uleb(importSec, minPages);
    if (maxPages !== undefined) uleb(importSec, maxPages);
  }
  spec.importFuncs.forEach((f, i) => {
    name(importSec, 'env');
    name(importSec, f.name);
    importSec.push(0x00);
    uleb(importSec, importTypes[i]!);
  });
  section(out, 2, importSec);

  const funcSec: number[] = [];
  uleb(funcSec, funcTypes.length);
  for (const t of funcTypes) uleb(funcSec, t);
  section(out, 3, funcSec);

  const exported = spec.funcs
    .map((f, i) => ({ f, index: spec.importFuncs.length + i }))
    .filter(({ f }) => f.exportAs !== undefined);
  const exportSec: number[] = [];
  uleb(exportSec, exported.length);
  for (const { f, index } of exported) {
    name(exportSec, f.exportAs!);
    exportSec.push(0x00);
    uleb(exportSec, index);
  }
  section(out, 7, exportSec);

  const codeSec: number[] = [];
  uleb(codeSec, spec.funcs.length);
  for (const f of spec.funcs) {
    // locals are run-length encoded: (count, type) for each run of one type
    const entry: number[] = [];
    const runs: [number, ValType][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(entry, runs.length);
    for (const [count, t] of runs) {
      uleb(entry, count);
      entry.push(t);
    }
    for (const b of f.body.bytes) entry.push(b);
    entry.push(Op.end);
    uleb(codeSec, entry.length);
    for (const b of entry) codeSec.push(b);
  }
  section(out, 10, codeSec);
  return Uint8Array.from(out);
}
