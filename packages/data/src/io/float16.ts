// IEEE 754 binary16 and bfloat16 conversions, bit-exact, without lookup tables.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Decodes an IEEE binary16 bit pattern to a number (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/**
 * Rounds a number to the nearest binary16 (ties to even) and returns its bit pattern. Goes through float32;
 * the double rounding is harmless because float32 carries at least 2·11 + 2 significand bits.
 * Method: F. Giesen, "float_to_half_fast3_rtne" (public domain).
 */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  let abs = bits & 0x7fffffff;
  if (abs >= 0x47800000) return sign | (abs > 0x7f800000 ? 0x7e00 : 0x7c00); // ≥ 65536, ∞ or NaN
  if (abs < 0x38800000) {
    // subnormal half or zero: adding 0.5 lets the FPU do the rounding shift
    u32[0] = abs;
    f32[0] = f32[0]! + 0.5;
    return sign | (u32[0]! - 0x3f000000);
  }
  const mantissaOdd = (abs >>> 13) & 1;
  abs += ((15 - 127) << 23) + 0xfff + mantissaOdd;
  return sign | (abs >>> 13);
}

/** Decodes a bfloat16 bit pattern (the top half of a float32) to a number. */
export function bfloat16ToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0]!;
}

/** Rounds a number to the nearest bfloat16 (ties to even, via float32) and returns its bit pattern. */
export function floatToBfloat16(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) & 0x8000) | 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}
