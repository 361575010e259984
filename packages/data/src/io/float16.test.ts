import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float16.js';

describe('binary16 conversions', () => {
  it('round-trip all 65 536 bit patterns (NaNs stay NaN)', () => {
    const wrong: number[] = []; // one expect at the end: 65 536 expect calls would dominate the run time
    for (let h = 0; h < 65536; h++) {
      const x = halfToFloat(h);
      const ok = Number.isNaN(x) ? Number.isNaN(halfToFloat(floatToHalf(x))) : floatToHalf(x) === h;
      if (!ok) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('decode known values and round ties to even', () => {
    expect([0x3c00, 0x3800, 0xc000, 0x7bff, 0x0001, 0x7c00].map(halfToFloat)).toEqual([
      1,
      0.5,
      -2,
      65504,
      2 ** -24,
      Infinity,
    ]);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1 + 2^-10: even mantissa
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToHalf(65520)).toBe(0x7c00); // rounds past the largest half to ∞
    expect(floatToHalf(2 ** -25)).toBe(0); // tie with zero: even
    expect(floatToHalf(-0)).toBe(0x8000);
  });

  it('bfloat16 is the top half of float32, rounded to nearest even', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const x = bfloat16ToFloat(h);
      if (!Number.isNaN(x) && floatToBfloat16(x) !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80);
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(floatToBfloat16(Number.NaN)).toBe(0x7fc0);
  });
});
