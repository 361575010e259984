/** Deterministic pseudo-random values in [-1, 1) for inputs (no dependency on the library's RNG). */
export function fixtureValues(n: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s / 4294967296) * 2 - 1;
  });
}
