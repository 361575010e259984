/** The linkage that generated modules import: its tanh on its scratch arena is the eager kernel bit for bit. */
import { describe, expect, it } from 'vitest';
import { kernelLinkage } from './linkage.js';
import { tanhF32, tanhF64 } from './tanh.js';

describe('kernelLinkage', () => {
  it('exposes a memory whose scratch holds operands for the kernels’ tanh (float64 and float32)', () => {
    const link = kernelLinkage();
    expect(link).not.toBeNull();
    if (!link) return;
    expect(kernelLinkage()).toBe(link);
    const n = 1001;
    const x = Float64Array.from({ length: n }, (_, i) => (i - 500) / 37);
    const at = link.scratch(2 * n * 8);
    expect(at).not.toBeNull();
    expect(at! % 16).toBe(0);
    new Float64Array(link.buffer(), at!, n).set(x);
    link.tanhF64(at!, at! + n * 8, n);
    const want = new Float64Array(n);
    tanhF64(x, want);
    expect(Array.from(new Float64Array(link.buffer(), at! + n * 8, n))).toEqual(Array.from(want));

    const x32 = Float32Array.from(x);
    new Float32Array(link.buffer(), at!, n).set(x32);
    link.tanhF32(at!, at! + n * 4, n);
    const want32 = new Float32Array(n);
    tanhF32(x32, want32);
    expect(Array.from(new Float32Array(link.buffer(), at! + n * 4, n))).toEqual(Array.from(want32));
  });

  it('refuses scratch beyond 4 GiB', () => {
    expect(kernelLinkage()?.scratch(2 ** 33)).toBeNull();
  });
});
