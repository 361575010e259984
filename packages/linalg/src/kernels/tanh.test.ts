import { describe, expect, it } from 'vitest';
import { ShapeError } from '../core/errors.js';
import { Generator } from '../random/generator.js';
import { CHUNK } from './chunked.js';
import {
  fusedMulAddTanhF32,
  fusedMulAddTanhF64,
  fusedMulAddTanhReference,
  TANH_MIN_LENGTH,
  tanhF32,
  tanhF64,
  tanhReference,
  tanhStage,
} from './tanh.js';
import { getRuntime } from './wasm-module.js';

const F64_ULP = 2 ** -52;
const F32_ULP = 2 ** -23;

/** Largest error in units of the reference value's precision (relative, so it is in ulps). */
function worstUlps(got: ArrayLike<number>, want: ArrayLike<number>, ulp: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) return Number.POSITIVE_INFINITY;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - w) / (Math.abs(w) * ulp || Number.MIN_VALUE));
  }
  return worst;
}

/** Log-uniform magnitudes from 1e-8 to 1e2 with random signs: covers the polynomial and the ±1 tails. */
function spread(n: number, rng: Generator): Float64Array {
  return Float64Array.from(
    { length: n },
    () => (rng.nextFloat() < 0.5 ? -1 : 1) * 10 ** (10 * rng.nextFloat() - 8),
  );
}

describe('tanh kernels against Math.tanh', () => {
  const rng = new Generator(7);

  it.each([1, 3, TANH_MIN_LENGTH, TANH_MIN_LENGTH + 1, 1001, CHUNK + 5])(
    'float64 n = %i within 4 ulp',
    (n) => {
      const x = spread(n, rng);
      const out = new Float64Array(n);
      tanhF64(x, out);
      const want = new Float64Array(n);
      tanhReference(x, want);
      expect(worstUlps(out, want, F64_ULP)).toBeLessThanOrEqual(4);
    },
  );

  it.each([1, 5, 1003, CHUNK + 7])('float32 n = %i within 3 ulp of the rounded Math.tanh', (n) => {
    const x = Float32Array.from(spread(n, rng));
    const out = new Float32Array(n);
    tanhF32(x, out);
    const want = Float32Array.from(x, Math.tanh);
    expect(worstUlps(out, want, F32_ULP)).toBeLessThanOrEqual(3);
  });

  it('handles ±0, ±Infinity, NaN, subnormals and the saturated range', () => {
    const special = [
      0,
      -0,
      Infinity,
      -Infinity,
      Number.NaN,
      5e-324,
      -1e-300,
      18,
      19.5,
      25,
      800,
      -800,
      0.5,
      -0.3466,
    ];
    const x = Float64Array.from([...special, ...special]); // long enough for the wasm path
    const out = new Float64Array(x.length);
    tanhF64(x, out);
    expect(worstUlps(out, x.map(Math.tanh), F64_ULP)).toBeLessThanOrEqual(4);
    expect(Object.is(out[1], -0)).toBe(true);
    const x32 = Float32Array.from(x);
    const out32 = new Float32Array(x.length);
    tanhF32(x32, out32);
    expect(worstUlps(out32, Float32Array.from(x32, Math.tanh), F32_ULP)).toBeLessThanOrEqual(3);
  });

  it('fusedMulAddTanh equals tanh(a·b + c), in place too', () => {
    const n = 2 * CHUNK + 9;
    const a = spread(n, rng);
    const b = spread(n, rng);
    const c = spread(n, rng);
    const want = new Float64Array(n);
    fusedMulAddTanhReference(a, b, c, want);
    const out = new Float64Array(n);
    fusedMulAddTanhF64(a, b, c, out);
    expect(worstUlps(out, want, F64_ULP)).toBeLessThanOrEqual(4);
    const a2 = a.slice();
    fusedMulAddTanhF64(a2, b, c, a2);
    expect(a2).toEqual(out);

    const a32 = Float32Array.from(a);
    const b32 = Float32Array.from(b);
    const c32 = Float32Array.from(c);
    const out32 = new Float32Array(n);
    fusedMulAddTanhF32(a32, b32, c32, out32);
    // the float32 kernel forms a·b + c in float32: compare with that rounding
    const want32 = Float32Array.from({ length: n }, (_, i) =>
      Math.tanh(Math.fround(Math.fround(a32[i]! * b32[i]!) + c32[i]!)),
    );
    expect(worstUlps(out32, want32, F32_ULP)).toBeLessThanOrEqual(3);
  });

  it('rejects mismatched lengths', () => {
    expect(() => tanhF64(new Float64Array(20), new Float64Array(21))).toThrow(ShapeError);
    const x = new Float32Array(4);
    expect(() => fusedMulAddTanhF32(x, x, new Float32Array(5), x)).toThrow(ShapeError);
  });
});

describe('tanhStage (arguments written straight into the arena)', () => {
  it('equals tanhF64/tanhF32 bit for bit, block by block, into any offset of the output', () => {
    const rng = new Generator(91);
    for (const dtype of ['float64', 'float32'] as const) {
      const stage = tanhStage(dtype);
      if (stage === null) return; // no wasm here: the fused loops fall back to tanhF64
      const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
      const x = Ctor.from(spread(10_000, rng));
      const want = new Ctor(x.length);
      (dtype === 'float64' ? tanhF64 : tanhF32)(x as never, want as never);
      const got = new Ctor(x.length);
      for (let start = 0; start < x.length; start += 4096) {
        const len = Math.min(4096, x.length - start);
        stage.view().set(x.subarray(start, start + len));
        stage.apply(len, got, start);
      }
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('places its slot at each view, above resident blocks allocated after it was made', () => {
    const rt = getRuntime();
    const stage = tanhStage('float64');
    if (rt === null || stage === null) return;
    stage.view(); // used once before the resident block exists (as a compiled loop is, before a GEMM packs B)
    const resident = rt.allocResident(8 * 1024)!;
    const guard = rt.f64(resident, 1024).fill(7);
    try {
      const x = Float64Array.from({ length: 1024 }, (_, i) => i / 512 - 1);
      stage.view().set(x);
      const out = new Float64Array(1024);
      stage.apply(1024, out, 0);
      // the resident block is untouched and the results are right
      expect(Array.from(rt.f64(resident, 1024)).every((v) => v === 7)).toBe(true);
      expect(guard.length === 0 || guard[0] === 7).toBe(true);
      expect(worstUlps(out, x.map(Math.tanh), F64_ULP)).toBeLessThanOrEqual(3);
    } finally {
      rt.clearResident();
    }
  });
});
