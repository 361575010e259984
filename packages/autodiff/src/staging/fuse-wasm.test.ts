/**
 * Fused groups as generated wasm SIMD: the encoder makes valid modules that compute known values, and every
 * supported op, float64 and float32, at chunk boundaries and tails, with scalar, row and column broadcasts and
 * special values, returns eager's numbers bit for bit; unsupported ops keep the JavaScript loop.
 */
import {
  type NDArray,
  abs,
  add,
  astype,
  cpuBackend,
  div,
  equal,
  exp,
  floor,
  fromTypedArray,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  sqrt,
  sub,
  sum,
  tanh,
  where,
} from '@sciml/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeFlatten } from '../tree.js';
import { uniform } from '../test-utils/random.js';
import { compileStaged } from './compile.js';
import { wasmFusion } from './fuse-wasm.js';
import { stage } from './stage.js';
import { Code, Op, Simd, ValType, encodeModule, sleb, uleb } from './wasm-emit.js';

/** The WebAssembly JS API (the packages compile without the DOM lib that declares it). */
const WA = (globalThis as unknown as { WebAssembly: WasmJs }).WebAssembly;
interface WasmJs {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

function compiled(f: (...xs: NDArray[]) => NDArray, args: NDArray[]) {
  const { leaves, def } = treeFlatten(args);
  return compileStaged(stage('jit', f as (...a: unknown[]) => unknown, def, leaves, cpuBackend));
}

/** Every element identical (Object.is: NaN equals NaN, −0 differs from +0). */
function expectIdentical(a: NDArray, b: NDArray): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    if (!Object.is(x[i], y[i]))
      expect({ i, jit: x[i], eager: y[i] }).toEqual({ i, jit: y[i], eager: y[i] });
  }
}

describe('wasm-emit', () => {
  it('encodes LEB128 as the spec examples', () => {
    const u: number[] = [];
    uleb(u, 624485);
    expect(u).toEqual([0xe5, 0x8e, 0x26]);
    const s: number[] = [];
    sleb(s, -123456);
    expect(s).toEqual([0xc0, 0xbb, 0x78]);
    const m: number[] = [];
    sleb(m, 64);
    expect(m).toEqual([0xc0, 0x00]);
    expect(() => uleb([], -1)).toThrow(RangeError);
  });

  it('a hand-assembled module validates and computes out[i] = max(a[i]·b + |a[i]|, 0) in f64x2 lanes', () => {
    // run(a, out, n_bytes, b): a loop over 16-byte vectors of its own memory
    const code = new Code();
    code.localGet(3).simd(Simd.f64x2Splat).localSet(5);
    code.i32Const(0).localSet(4).open(Op.loop);
    code.localGet(1).localGet(4).op(Op.i32Add);
    code.localGet(0).localGet(4).op(Op.i32Add).simdMem(Simd.load).localSet(6);
    code
      .localGet(6)
      .localGet(5)
      .simd(Simd.f64x2Mul)
      .localGet(6)
      .simd(Simd.f64x2Abs)
      .simd(Simd.f64x2Add);
    code.i32Const(0).simd(Simd.i32x4Splat); // i32x4.splat 0: all bits clear, +0 in both f64 lanes
    code.simd(Simd.f64x2Max).simdMem(Simd.store);
    code.localGet(4).i32Const(16).op(Op.i32Add).localSet(4);
    code.localGet(4).localGet(2).op(Op.i32LtU).brIf(0).end();
    const binary = encodeModule({
      memory: { minPages: 1, shared: false },
      importFuncs: [],
      funcs: [
        {
          type: { params: [ValType.i32, ValType.i32, ValType.i32, ValType.f64], results: [] },
          locals: [ValType.i32, ValType.v128, ValType.v128],
          body: code,
          exportAs: 'run',
        },
      ],
    });
    expect(WA.validate(binary)).toBe(true);
    const memory = new WA.Memory({ initial: 1 });
    const { run } = new WA.Instance(new WA.Module(binary), { env: { memory } }).exports as {
      run: (a: number, out: number, n: number, b: number) => void;
    };
    const a = new Float64Array(memory.buffer, 0, 4);
    a.set([1, -2, 0.5, -0.25]);
    run(0, 64, 32, 3);
    expect(Array.from(new Float64Array(memory.buffer, 64, 4))).toEqual([4, 0, 2, 0]);
  });

  it('refuses a shared memory without a maximum', () => {
    expect(() =>
      encodeModule({ memory: { minPages: 1, shared: true }, importFuncs: [], funcs: [] }),
    ).toThrow(RangeError);
  });
});

/** Inputs of `n` elements with specials sprinkled in (NaN, ±0, ±Inf) where asked. */
function values(shape: number[], seed: number, specials: boolean, lo = -3, hi = 3): NDArray {
  const x = uniform(shape, lo, hi, seed);
  if (!specials) return x;
  const v = x.dataSync() as Float64Array;
  const special = [Number.NaN, 0, -0, Infinity, -Infinity, 1, -1];
  for (let i = 0; i < v.length; i += 3) v[i] = special[(i / 3 + seed) % special.length]!;
  return fromTypedArray(v, shape);
}

type Program = (...xs: NDArray[]) => NDArray;
const OPS: [string, Program, boolean][] = [
  ['add, sub, mul, div', (a, b) => div(sub(mul(add(a, b), a), b), add(b, 0.5)), false],
  ['neg, abs, sqrt, floor', (a, b) => floor(sqrt(abs(neg(mul(a, b))))), false],
  ['maximum, minimum with NaN, ±0, ±Inf', (a, b) => add(maximum(a, b), minimum(b, a)), true],
  ['arithmetic with NaN, ±0, ±Inf', (a, b) => sub(div(a, b), mul(neg(a), b)), true],
  [
    'comparisons, where, cast of a mask with NaN, ±0, ±Inf',
    (a, b) =>
      where(
        greater(a, b),
        mul(a, astype(lessEqual(b, 0.5), a.dtype)),
        add(astype(equal(a, b), a.dtype), where(notEqual(a, 0), b, astype(less(a, b), a.dtype))),
      ),
    true,
  ],
  ['greaterEqual into where', (a, b) => where(greaterEqual(a, b), a, neg(b)), true],
  ['tanh between segments', (a, b) => mul(tanh(add(mul(a, b), 0.25)), sub(tanh(a), b)), true],
];
const LENGTHS = [1, 3, 4, 5, 4097, 16385, 50000];

describe('wasm groups equal eager execution bit for bit', () => {
  let saved = 0;
  beforeAll(() => {
    saved = wasmFusion.minLength;
    wasmFusion.minLength = 1;
  });
  afterAll(() => {
    wasmFusion.minLength = saved;
  });

  for (const dtype of ['float64', 'float32'] as const) {
    describe(dtype, () => {
      it.each(OPS)('%s, full inputs at every length', (_name, f, specials) => {
        for (const n of LENGTHS) {
          const xs = [values([n], n, specials), values([n], n + 1, specials)].map((x) =>
            astype(x, dtype),
          );
          const exe = compiled(f, xs);
          // a group with tanh needs 16 elements to run tanh's kernel as eager does
          expect(exe.wasmGroups).toBe(_name.includes('tanh') && n < 16 ? 0 : 1);
          expectIdentical(exe.run(xs)[0]!, f(xs[0]!, xs[1]!));
        }
      });

      it.each(OPS)('%s, a row, a column and a scalar broadcast', (_name, f, specials) => {
        for (const [rows, cols] of [
          [3, 5],
          [257, 20],
          [300, 256],
          [4097, 3],
        ] as const) {
          const x = astype(values([rows, cols], rows, specials), dtype);
          const row = astype(values([cols], cols, specials), dtype);
          const col = astype(values([rows, 1], rows + 7, specials), dtype);
          const scalar = astype(values([], 5, false), dtype);
          const g = (a: NDArray, r: NDArray, c: NDArray, s: NDArray): NDArray =>
            f(mul(f(a, r), s), add(c, a));
          const xs = [x, row, col, scalar];
          const exe = compiled(g, xs);
          // every group runs as wasm (a mask of the row alone is a group of its own shape)
          expect(exe.fusedGroups).toBeGreaterThanOrEqual(1);
          expect(exe.wasmGroups).toBe(
            _name.includes('tanh') && rows * cols < 16 ? 0 : exe.fusedGroups,
          );
          expectIdentical(exe.run(xs)[0]!, g(x, row, col, scalar));
        }
      });
    });
  }

  it('several outputs, values carried across tanh, and an output in place of a dying input', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const f = (a: NDArray, b: NDArray): NDArray[] => {
        const z = add(mul(a, b), 1);
        const h = tanh(z);
        return [mul(h, z), sub(1, mul(h, h)), z];
      };
      // fresh arrays (mul by 1): storage only these arrays see, which donation may recycle
      const xs = [uniform([40, 300], -2, 2, 3), uniform([40, 300], -2, 2, 4)].map((x) =>
        mul(astype(x, dtype), 1),
      );
      const { leaves, def } = treeFlatten(xs);
      const exe = compileStaged(
        stage('jit', f as (...a: unknown[]) => unknown, def, leaves, cpuBackend),
      );
      expect(exe.wasmGroups).toBe(1);
      const want = f(xs[0]!, xs[1]!);
      // both arguments donated: outputs may take their memory (read chunk by chunk before it is written)
      const taken = new Set<unknown>();
      const got = exe.run(xs, new Set([0, 1]), taken);
      expect(taken.size).toBe(2);
      want.forEach((w, k) => {
        expectIdentical(got[k]!, w);
      });
    }
  });
});

describe('fused column sums in wasm', () => {
  it('bias gradients (axis 0, keepdims, rank 3 over leading axes) equal eager bit for bit across chunks', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [rows, cols] of [
        [256, 256],
        [10000, 20],
        [4097, 4],
        [3, 8],
      ] as const) {
        const d = astype(values([rows, cols], rows, false), dtype);
        const y = astype(values([rows, cols], cols, false, -0.9, 0.9), dtype);
        const b = astype(values([cols], 3, false), dtype);
        const f = (dd: NDArray, yy: NDArray, bb: NDArray): NDArray => {
          const g = mul(dd, sub(1, mul(yy, yy)));
          return add(sum(g, { axis: 0 }), sum(mul(add(g, bb), yy), { axis: 0, keepdims: true }));
        };
        const exe = compiled(f, [d, y, b]);
        // the group of the two sums runs as wasm; the add of the two sums is another group's business
        expect(exe.wasmGroups).toBeGreaterThanOrEqual(rows * cols >= wasmFusion.minLength ? 1 : 0);
        expectIdentical(exe.run([d, y, b])[0]!, f(d, y, b));
      }
      const x3 = astype(values([9, 70, 20], 9, false), dtype);
      const f3 = (a: NDArray): NDArray => sum(tanh(mul(a, a)), { axis: [0, 1] });
      const exe3 = compiled(f3, [x3]);
      expect(exe3.wasmGroups).toBe(1);
      expectIdentical(exe3.run([x3])[0]!, f3(x3));
    }
  });
});

describe('the wasm path is chosen only where every equation lowers', () => {
  it('names the wasm groups in the mode, and keeps a group with exp (or a sum) a JavaScript loop', () => {
    const x = uniform([100, 30], -1, 1, 1);
    const y = uniform([100, 30], -1, 1, 2);
    const simd = compiled((a, b) => tanh(add(mul(a, b), 1)), [x, y]);
    expect(simd.wasmGroups).toBe(1);
    expect(simd.mode.reason).toContain('1 of them wasm SIMD');
    const withExp = compiled((a, b) => exp(add(mul(a, b), 1)), [x, y]);
    expect(withExp.fusedGroups).toBe(1);
    expect(withExp.wasmGroups).toBe(0);
    expectIdentical(withExp.run([x, y])[0]!, exp(add(mul(x, y), 1)));
    // 30 float32 columns are not a whole number of f32x4 vectors: the sum stays in a JavaScript loop
    const [x32, y32] = [astype(x, 'float32'), astype(y, 'float32')];
    const withSum = compiled((a, b) => sum(mul(add(a, b), a), { axis: 0 }), [x32, y32]);
    expect(withSum.fusedGroups).toBe(1);
    expect(withSum.wasmGroups).toBe(0);
    expectIdentical(withSum.run([x32, y32])[0]!, sum(mul(add(x32, y32), x32), { axis: 0 }));
  });

  it('falls back to the JavaScript loop where the engine refuses to compile generated wasm (a CSP)', () => {
    const x = uniform([100, 30], -1, 1, 1);
    const f = (a: NDArray): NDArray => tanh(add(mul(a, a), 1));
    const api = WA as unknown as { Module: unknown };
    const original = api.Module;
    api.Module = function refused(): never {
      throw new Error('WebAssembly.Module(): Wasm code generation disallowed by embedder');
    };
    try {
      const exe = compiled(f, [x]);
      expect(exe.fusedGroups).toBe(1);
      expect(exe.wasmGroups).toBe(0);
      expectIdentical(exe.run([x])[0]!, f(x));
    } finally {
      api.Module = original;
    }
  });

  it('keeps a group whose mask leaves it (a bool output) a JavaScript loop', () => {
    const x = uniform([100, 30], -1, 1, 1);
    const f = (a: NDArray): NDArray => greater(mul(a, a), 0.25);
    const exe = compiled(f, [x]);
    expect(exe.fusedGroups).toBe(1);
    expect(exe.wasmGroups).toBe(0);
    expectIdentical(exe.run([x])[0]!, f(x));
  });

  it('keeps small groups as JavaScript loops (the call and copies cost more)', () => {
    const x = uniform([10, 10], -1, 1, 1);
    const exe = compiled((a) => tanh(add(mul(a, a), 1)), [x]);
    expect(exe.fusedGroups).toBe(1);
    expect(exe.wasmGroups).toBe(0);
  });
});
