/**
 * The complex FFT of the rows of a complex64 array on the GPU: radix-2 Stockham autosort (Govindaraju et al.,
 * "High performance discrete Fourier transforms on graphics processors", SC 2008). Pass s (Ns = 2^s) takes
 * pairs (x_j, x_{j+n/2}), twiddles the second by e^{∓iπ k/Ns} with k = j mod Ns, and writes the butterfly's sum
 * and difference to (j div Ns)·2Ns + k and that + Ns: after log₂ n passes the rows are in natural order, with
 * no bit-reversal pass. Each pass is one dispatch of rows·n/2 threads, ping-ponging between two buffers.
 * Storage is interleaved (re, im) float32, read as `vec2<f32>`.
 */
import type { KernelSource } from '../exec/pipelines.js';
import { FLAT_INDEX, MAIN_1D, paramsDecl } from './wgsl.js';

/** One Stockham pass; params: rows, n, Ns, sign (f32: −1 forward, +1 inverse), scale (f32). */
export function stockhamPassKernel(): KernelSource {
  const code = `${paramsDecl(2)}
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec2<f32>>;
${MAIN_1D} {
  ${FLAT_INDEX}
  let n = pu(1u);
  let half = n / 2u;
  if (i >= pu(0u) * half) { return; }
  let ns = pu(2u);
  let base = (i / half) * n;
  let j = i % half;
  let k = j % ns;
  let v0 = x[base + j];
  let a = x[base + j + half];
  // the twiddle angle ∓π k/Ns, with k/Ns formed first so it stays exact for power-of-two Ns
  let angle = pf(3u) * 3.14159265358979 * (f32(k) / f32(ns));
  let w = vec2<f32>(cos(angle), sin(angle));
  let v1 = vec2<f32>(a.x * w.x - a.y * w.y, a.x * w.y + a.y * w.x);
  let d = (j / ns) * 2u * ns + k;
  let scale = pf(4u);
  out[base + d] = (v0 + v1) * scale;
  out[base + d + ns] = (v0 - v1) * scale;
}`;
  return { key: 'fft-stockham-r2', name: 'fft', code };
}

/** out = scale · x over `count` complex elements (the transform of length 1, or a lone scaling). */
export function complexScaleKernel(): KernelSource {
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec2<f32>>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  out[i] = x[i] * pf(1u);
}`;
  return { key: 'fft-scale', name: 'fft', code };
}

/**
 * Bluestein's first step for rows of length n convolved at length m (a power of two ≥ 2n − 1):
 * a[r·m + j] = conj?(x[r·n + j]) · c_j for j < n, 0 for n ≤ j < m. params: rows·m, n, m, conj (f32: −1 takes
 * the conjugate of x — the inverse transform as conj(F(conj x)) — and +1 leaves it).
 */
export function bluesteinPadKernel(): KernelSource {
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> chirp: array<vec2<f32>>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let n = pu(1u);
  let m = pu(2u);
  let j = i % m;
  if (j >= n) { out[i] = vec2<f32>(0.0, 0.0); return; }
  let v = x[(i / m) * n + j];
  let a = vec2<f32>(v.x, pf(3u) * v.y);
  let c = chirp[j];
  out[i] = vec2<f32>(a.x * c.x - a.y * c.y, a.x * c.y + a.y * c.x);
}`;
  return { key: 'fft-bluestein-pad', name: 'fft', code };
}

/**
 * Bluestein's middle step: out[i] = conj(a[i] · ĥ[i mod m]), so the next forward FFT computes the inverse
 * one (IFFT(z) = conj(FFT(conj z)) / m, the 1/m folded into ĥ). params: count, m.
 */
export function bluesteinMulKernel(): KernelSource {
  const code = `${paramsDecl(1)}
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> a: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> hat: array<vec2<f32>>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let v = a[i];
  let h = hat[i % pu(1u)];
  out[i] = vec2<f32>(v.x * h.x - v.y * h.y, -(v.x * h.y + v.y * h.x));
}`;
  return { key: 'fft-bluestein-mul', name: 'fft', code };
}

/**
 * Bluestein's last step: X[r·n + k] = scale · conj?(conj(y[r·m + k]) · c_k) for k < n (y the second forward
 * FFT; the outer conjugate, with conj = −1, completes the inverse transform). params: rows·n, n, m, conj, scale.
 */
export function bluesteinCropKernel(): KernelSource {
  const code = `${paramsDecl(2)}
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> y: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> chirp: array<vec2<f32>>;
${MAIN_1D} {
  ${FLAT_INDEX}
  if (i >= pu(0u)) { return; }
  let n = pu(1u);
  let k = i % n;
  let v = y[(i / n) * pu(2u) + k];
  let c = chirp[k];
  // conj(v) · c
  let p = vec2<f32>(v.x * c.x + v.y * c.y, v.x * c.y - v.y * c.x);
  out[i] = vec2<f32>(p.x, pf(3u) * p.y) * pf(4u);
}`;
  return { key: 'fft-bluestein-crop', name: 'fft', code };
}
