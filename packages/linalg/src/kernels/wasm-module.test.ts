import { describe, expect, it } from 'vitest';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';
import { gemmReference } from './gemm-reference.js';
import { wasmApi } from './wasm-api.js';
import { getRuntime, KernelRuntime, MAX_PAGES } from './wasm-module.js';

const api = wasmApi()!;

function plainRuntime(): KernelRuntime {
  const module = new api.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  const memory = new api.Memory({ initial: 1 });
  return new KernelRuntime(module, memory, new api.Instance(module, { env: { memory } }));
}

describe('kernels module variants', () => {
  it('uses the shared-memory variant in Node, with the same exports as the plain one', () => {
    const rt = getRuntime();
    expect(rt?.shared).toBe(true);
    const exportsOf = (b64: string, shared: boolean) => {
      const module = new api.Module(Buffer.from(b64, 'base64'));
      const memory = new api.Memory({ initial: 1, maximum: MAX_PAGES, shared });
      return Object.keys(new api.Instance(module, { env: { memory } }).exports).sort();
    };
    expect(exportsOf(KERNELS_WASM_BASE64, false)).toEqual(
      exportsOf(KERNELS_SHARED_WASM_BASE64, true),
    );
  });

  it('the plain variant (browsers without cross-origin isolation) computes the same gemm', () => {
    const rt = plainRuntime();
    expect(rt.shared).toBe(false);
    const m = 37;
    const n = 29;
    const k = 41;
    const bytes = (m * k + k * n + m * n) * 8;
    expect(rt.reserve(bytes + rt.exports.gemm_f64_scratch_bytes())).toBe(true);
    const a = rt.f64(0, m * k);
    const b = rt.f64(m * k * 8, k * n);
    a.forEach((_, i) => {
      a[i] = Math.sin(i);
    });
    b.forEach((_, i) => {
      b[i] = Math.cos(i);
    });
    rt.exports.gemm_f64(m, n, k, 0, k, 1, m * k * 8, n, 1, (m * k + k * n) * 8, n, bytes);
    const ref = new Float64Array(m * n);
    gemmReference(m, n, k, a, b, ref);
    const c = rt.f64((m * k + k * n) * 8, m * n);
    for (let i = 0; i < m * n; i++) expect(Math.abs(c[i]! - ref[i]!)).toBeLessThan(1e-12);
  });

  it('grows its memory only when asked for more, and refuses more than 4 GiB', () => {
    const rt = plainRuntime();
    const before = rt.byteLength;
    expect(rt.reserve(before)).toBe(true);
    expect(rt.byteLength).toBe(before);
    expect(rt.reserve(before + 1)).toBe(true);
    expect(rt.byteLength).toBe(before + 65536);
    expect(rt.reserve(2 ** 32 + 1)).toBe(false);
  });
});
