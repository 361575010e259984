/**
 * Counter-based random arrays: element i is computed from word i mod 4 of Philox4x32-10 block
 * counter + ⌊i/4⌋ (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), so every element is
 * independent of the others and a backend can compute them in parallel where the array lives (the GPU's
 * Philox kernel). This file is the host reference those kernels match: uniforms bit for bit, normals to
 * float32 rounding of log/sin/cos.
 */
import type { Backend, CounterRandomKind } from '../backend/backend.js';
import { philox4x32 } from './philox.js';

const TWO_POW_32 = 4294967296;

/** u = (w >> 8)·2⁻²⁴ ∈ [0, 1): the top 24 bits of a word, exact in float32. */
function unit(w: number): number {
  return (w >>> 8) / 16777216;
}

/**
 * Float32 samples from Philox blocks `counter`, `counter + 1`, … under `key`: uniforms a + (b − a)·u, or normals
 * a + b·z by Box–Muller on the word pairs (w0, w1) and (w2, w3), r = √(−2 ln(1 − u0)), z = r·(cos, sin)(2π u1).
 */
export function counterRandomReference(
  kind: CounterRandomKind,
  size: number,
  key: readonly [number, number],
  counter: number,
  a: number,
  b: number,
): Float32Array {
  const out = new Float32Array(size);
  const w = new Uint32Array(4);
  const f = Math.fround;
  const [fa, fb] = [f(a), f(b)];
  const z = new Float64Array(4);
  for (let t = 0; 4 * t < size; t++) {
    const c = counter + t;
    philox4x32(c >>> 0, Math.floor(c / TWO_POW_32) >>> 0, 0, 0, key[0] >>> 0, key[1] >>> 0, w);
    if (kind === 'uniform') {
      for (let q = 0; q < 4; q++) z[q] = f(fa + f(f(fb - fa) * f(unit(w[q]!))));
    } else {
      for (let pair = 0; pair < 2; pair++) {
        const r = Math.sqrt(-2 * Math.log(1 - unit(w[2 * pair]!)));
        const angle = 2 * Math.PI * unit(w[2 * pair + 1]!);
        z[2 * pair] = fa + fb * r * Math.cos(angle);
        z[2 * pair + 1] = fa + fb * r * Math.sin(angle);
      }
    }
    for (let q = 0; q < 4 && 4 * t + q < size; q++) out[4 * t + q] = z[q]!;
  }
  return out;
}

/** The handle of `size` counter-based samples on `backend`: its own kernel when it has one, else the host reference. */
export function counterRandomHandle(
  backend: Backend,
  kind: CounterRandomKind,
  size: number,
  key: readonly [number, number],
  counter: number,
  a: number,
  b: number,
): unknown {
  if (backend.random) return backend.random(kind, size, key, counter, a, b);
  const data = counterRandomReference(kind, size, key, counter, a, b);
  return backend.name === 'cpu' ? data : backend.upload(data, 'float32');
}
