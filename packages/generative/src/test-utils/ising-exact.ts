/**
 * Exact ⟨|m|⟩ and ⟨E⟩/N of the periodic L × L Ising model (J = 1) by summing all 2^{L²} states — the reference the
 * samplers are checked against (L ≤ 4: 65 536 states).
 */
export function exactIsing(L: number, T: number): { absMagnetization: number; energy: number } {
  const N = L * L;
  if (N > 16) throw new Error(`exactIsing: 2^${N} states are too many to enumerate`);
  let z = 0;
  let m = 0;
  let e = 0;
  for (let c = 0; c < 2 ** N; c++) {
    const s = (i: number) => ((c >> i) & 1 ? 1 : -1);
    let en = 0;
    let mag = 0;
    for (let y = 0; y < L; y++) {
      for (let x = 0; x < L; x++) {
        mag += s(y * L + x);
        en -= s(y * L + x) * (s(y * L + ((x + 1) % L)) + s(((y + 1) % L) * L + x));
      }
    }
    const w = Math.exp(-en / T);
    z += w;
    m += (w * Math.abs(mag)) / N;
    e += (w * en) / N;
  }
  return { absMagnetization: m / z, energy: e / z };
}
