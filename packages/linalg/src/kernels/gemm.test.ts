import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { Generator } from '../random/generator.js';
import { gemm, gemmF32, gemmF64 } from './gemm.js';
import type { FloatArray } from '../core/dtype.js';
import { gemmReference } from './gemm-reference.js';

const ODD = [1, 3, 7, 17, 33, 65, 127, 129, 257];

function random(Ctor: new (n: number) => FloatArray, n: number, rng: Generator): FloatArray {
  const x = new Ctor(n);
  for (let i = 0; i < n; i++) x[i] = 2 * rng.nextFloat() - 1;
  return x;
}

/**
 * Checks C against the float64 reference with the classical bound for a length-k dot product,
 * |ĉ − c| ≤ γ(k+1)·(|A|·|B|) with γ = (k+1)·u (Higham, "Accuracy and Stability of Numerical
 * Algorithms", §3.5), doubled to cover the reference's own rounding.
 */
function expectClose(
  dtype: 'float64' | 'float32',
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA: boolean,
  transB: boolean,
): void {
  const ref = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  gemmReference(m, n, k, Float64Array.from(a), Float64Array.from(b), ref, transA, transB);
  gemmReference(
    m,
    n,
    k,
    Float64Array.from(a, Math.abs),
    Float64Array.from(b, Math.abs),
    mag,
    transA,
    transB,
  );
  const u = dtype === 'float64' ? 2 ** -53 : 2 ** -24;
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const bound = 2 * (k + 1) * u * mag[i]! + Number.MIN_VALUE;
    worst = Math.max(worst, Math.abs(c[i]! - ref[i]!) / bound);
  }
  expect(worst).toBeLessThanOrEqual(1);
}

const cases: [number, number, number][] = [
  [1, 1, 1],
  [1, 1, 300],
  [2, 3, 4],
  [16, 16, 16],
  ...ODD.map((s): [number, number, number] => [s, s, s]),
  [7, 129, 33],
  [129, 7, 257],
  [65, 33, 1],
  [257, 3, 65],
  [3, 300, 513], // k spans three K blocks
  [130, 70, 20], // m crosses the MC block with a remainder
  [9, 2100, 40], // n crosses the NC block
];

describe.each([
  ['float64', Float64Array, gemmF64],
  ['float32', Float32Array, gemmF32],
] as const)('%s gemm (wasm) against the reference', (dtype, Ctor, kernel) => {
  const rng = new Generator(dtype === 'float64' ? 1 : 2);
  it.each(cases)('m=%i n=%i k=%i, all four transpose combinations', (m, n, k) => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = random(Ctor, m * k, rng);
        const b = random(Ctor, k * n, rng);
        const c = new Ctor(m * n).fill(Number.NaN); // C is overwritten, never read
        (kernel as (...args: unknown[]) => void)(m, n, k, a, b, c, transA, transB);
        expectClose(dtype, m, n, k, a, b, c, transA, transB);
      }
    }
  });

  it('gives zeros for k = 0 and leaves empty outputs alone', () => {
    const c = new Ctor(6).fill(5);
    (kernel as (...args: unknown[]) => void)(2, 3, 0, new Ctor(0), new Ctor(0), c);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() =>
      (kernel as (...args: unknown[]) => void)(0, 4, 3, new Ctor(0), new Ctor(12), new Ctor(0)),
    ).not.toThrow();
  });

  it('works on subarray views at an offset (batched callers)', () => {
    const m = 20;
    const n = 24;
    const k = 28;
    const a = random(Ctor, 3 * m * k, rng);
    const b = random(Ctor, 3 * k * n, rng);
    const c = new Ctor(3 * m * n);
    for (let t = 0; t < 3; t++) {
      const av = a.subarray(t * m * k, (t + 1) * m * k);
      const bv = b.subarray(t * k * n, (t + 1) * k * n);
      const cv = c.subarray(t * m * n, (t + 1) * m * n);
      (kernel as (...args: unknown[]) => void)(m, n, k, av, bv, cv);
      expectClose(dtype, m, n, k, av, bv, cv, false, false);
    }
  });
});

/** The K block of assembly/gemm_f32.ts and gemm_f64.ts (KC): each element's sum restarts there. */
const KC = 256;

/**
 * The wasm kernels' summation order written out as a triple loop: C(i,j) sums round(A(i,p)·B(p,j))
 * in order of p with a rounding after every addition (wasm SIMD has no FMA), restarting at each
 * K block of KC, and the blocks are added to C in order. `round` rounds to the dtype.
 */
function blockedReference(
  round: (x: number) => number,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  transA: boolean,
  transB: boolean,
): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let cij = 0;
      for (let pc = 0; pc < Math.max(k, 1); pc += KC) {
        let acc = 0;
        for (let p = pc; p < Math.min(k, pc + KC); p++) {
          const aip = transA ? a[p * m + i]! : a[i * k + p]!;
          const bpj = transB ? b[j * k + p]! : b[p * n + j]!;
          acc = round(acc + round(aip * bpj));
        }
        cij = pc === 0 ? acc : round(cij + acc);
      }
      c.push(cij);
    }
  }
  return c;
}

describe.each([
  ['float64', Float64Array, gemmF64, (x: number) => x],
  ['float32', Float32Array, gemmF32, Math.fround],
] as const)('%s gemm (wasm) sums in a fixed order', (_dtype, Ctor, kernel, round) => {
  const rng = new Generator(3);
  // Every path of the blocked loops: A packed or read in place (narrow C, short p-step), a partial
  // last row tile, right edges of 1–7 columns (f32: the 4-column kernel), several K blocks, C wider
  // than the in-place limit, A's p-step too long to read in place (transposed, m = 1030).
  const shapes: [number, number, number][] = [
    [13, 21, 37],
    [10000, 20, 20],
    [20, 20, 10000],
    [13, 21, 300],
    [9, 300, 37],
    [1030, 9, 5],
    [7, 17, 520],
  ];
  it.each(shapes)(
    'm=%i n=%i k=%i equals the reference loop bit for bit (NN, TN, NT)',
    (m, n, k) => {
      for (const [transA, transB] of [
        [false, false],
        [true, false],
        [false, true],
      ] as const) {
        const a = random(Ctor, m * k, rng);
        const b = random(Ctor, k * n, rng);
        const c = new Ctor(m * n);
        (kernel as (...args: unknown[]) => void)(m, n, k, a, b, c, transA, transB);
        const want = blockedReference(round, m, n, k, a, b, transA, transB);
        let mismatches = 0;
        for (let i = 0; i < m * n; i++) if (!Object.is(c[i], want[i])) mismatches++;
        expect(mismatches).toBe(0);
      }
    },
  );
});

describe('gemm argument checks', () => {
  it('rejects arrays whose lengths do not match m, n, k with a ShapeError naming the shapes', () => {
    expect(() =>
      gemmF64(2, 3, 4, new Float64Array(8), new Float64Array(12), new Float64Array(5)),
    ).toThrow(ShapeError);
    expect(() =>
      gemmF64(2, 3, 4, new Float64Array(8), new Float64Array(11), new Float64Array(6)),
    ).toThrow(/B \(4, 3\)/);
  });

  it('rejects negative or fractional sizes', () => {
    expect(() =>
      gemmF64(-1, 1, 1, new Float64Array(0), new Float64Array(1), new Float64Array(0)),
    ).toThrow(ValueError);
    expect(() =>
      gemmF32(1.5, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1)),
    ).toThrow(ValueError);
  });

  it('dispatches on dtype and refuses mixed arrays', () => {
    const c = new Float32Array(4);
    gemm(2, 2, 2, Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), c);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    expect(() =>
      gemm(1, 1, 1, new Float64Array(1), new Float32Array(1), new Float64Array(1)),
    ).toThrow(DTypeError);
  });
});
