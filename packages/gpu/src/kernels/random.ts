/**
 * Counter-based random numbers on the GPU: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011), the same function as @sciml/linalg's `philox4x32`, bit for bit.
 * Thread t computes block (counter + t) under the 64-bit key and writes elements 4t … 4t+3, so a stream is
 * a pure function of (seed, counter) and any position is reachable in O(1).
 *
 * Uniform floats take the top 24 bits of a word: u = (w >> 8) · 2⁻²⁴ ∈ [0, 1), exact in float32.
 * Normals use Box–Muller on word pairs (w0, w1) and (w2, w3): r = √(−2 ln(1 − u0)), z = r·(cos, sin)(2π u1).
 */
import type { KernelSource } from '../exec/pipelines.js';
import { FLAT_INDEX, MAIN_1D, paramsDecl } from './wgsl.js';

/** What the kernel writes. */
export type RandomKind = 'bits' | 'uniform' | 'normal';

const PHILOX = `
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let aLo = a & 0xffffu;
  let aHi = a >> 16u;
  let bLo = b & 0xffffu;
  let bHi = b >> 16u;
  let lo = aLo * bLo;
  let mid1 = aHi * bLo;
  let mid2 = aLo * bHi;
  let carry = ((lo >> 16u) + (mid1 & 0xffffu) + (mid2 & 0xffffu)) >> 16u;
  return vec2<u32>(aHi * bHi + (mid1 >> 16u) + (mid2 >> 16u) + carry, a * b);
}
fn philox4x32(c: vec4<u32>, k: vec2<u32>) -> vec4<u32> {
  var x = c;
  var key = k;
  for (var r = 0u; r < 10u; r++) {
    let p0 = mulhilo(0xd2511f53u, x.x);
    let p1 = mulhilo(0xcd9e8d57u, x.z);
    x = vec4<u32>(p1.x ^ x.y ^ key.x, p1.y, p0.x ^ x.w ^ key.y, p0.y);
    key = key + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return x;
}
fn unit(w: u32) -> f32 { return f32(w >> 8u) * (1.0 / 16777216.0); }
`;

/**
 * Params: n (elements), counter lo, counter hi, key lo, key hi, a, b (f32: low/high or mean/std).
 * Output: u32 words (bits), or float32.
 */
export function randomKernel(kind: RandomKind): KernelSource {
  const outT = kind === 'bits' ? 'u32' : 'f32';
  let values: string;
  if (kind === 'bits') values = 'let v = w;';
  else if (kind === 'uniform') {
    values =
      'let v = vec4<f32>(pf(5u)) + (pf(6u) - pf(5u)) * vec4<f32>(unit(w.x), unit(w.y), unit(w.z), unit(w.w));';
  } else {
    values = `let TAU = 6.283185307179586;
  let r0 = sqrt(-2.0 * log(1.0 - unit(w.x)));
  let r1 = sqrt(-2.0 * log(1.0 - unit(w.z)));
  let z = vec4<f32>(r0 * cos(TAU * unit(w.y)), r0 * sin(TAU * unit(w.y)), r1 * cos(TAU * unit(w.w)), r1 * sin(TAU * unit(w.w)));
  let v = vec4<f32>(pf(5u)) + pf(6u) * z;`;
  }
  const code = `${paramsDecl(2)}
${PHILOX}
@group(0) @binding(1) var<storage, read_write> out: array<${outT}>;
${MAIN_1D} {
  ${FLAT_INDEX}
  let n = pu(0u);
  if (i * 4u >= n) { return; }
  let lo = pu(1u) + i;
  let carry = select(0u, 1u, lo < i);
  let w = philox4x32(vec4<u32>(lo, pu(2u) + carry, 0u, 0u), vec2<u32>(pu(3u), pu(4u)));
  ${values}
  for (var q = 0u; q < 4u; q++) {
    if (i * 4u + q < n) { out[i * 4u + q] = v[q]; }
  }
}`;
  return { key: `random|${kind}`, name: `philox_${kind}`, code };
}
