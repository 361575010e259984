import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineCache, formatCompileError } from './exec/pipelines.js';
import {
  GpuDeviceLostError,
  GpuOutOfMemoryError,
  GpuUnavailableError,
  WgslCompileError,
  autotuneMatmul,
  createGpuBackend,
  MATMUL_TILES,
} from './index.js';
import { probeGpu } from './test-utils/probe.js';

describe('failures without a device', () => {
  it('no adapter is a GpuUnavailableError that says how to get one', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    const e = await createGpuBackend({ gpu }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GpuUnavailableError);
    expect(e).toBeInstanceOf(la.BackendError);
    expect((e as Error).message).toMatch(/lavapipe/);
  });

  it('formats a compiler message with the kernel name and the offending line', () => {
    const code = 'fn a() {}\nfn main() {\n  let x: f32 = 1u;\n}';
    const e = formatCompileError('my_kernel', code, [
      {
        message: "cannot initialize let of type 'f32' with value of type 'u32'",
        type: 'error',
        lineNum: 3,
        linePos: 16,
        offset: 0,
        length: 1,
      } as GPUCompilationMessage,
    ]);
    expect(e).toBeInstanceOf(WgslCompileError);
    expect(e.kernel).toBe('my_kernel');
    expect(e.line).toBe(3);
    expect(e.message).toContain("kernel 'my_kernel'");
    expect(e.message).toContain('3 | let x: f32 = 1u;');
  });
});

describeWithGpu(
  'typed GPU failures',
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it('a WGSL error is reported with the kernel name and the line from the compiler', async () => {
      const errors: Error[] = [];
      const cache = new PipelineCache(gpu().device, (e) => errors.push(e));
      const code = '@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_name;\n}';
      cache.get({ key: 'broken', name: 'broken_kernel', code });
      await cache.settled();
      expect(errors).toHaveLength(1);
      const e = errors[0] as WgslCompileError;
      expect(e).toBeInstanceOf(WgslCompileError);
      expect(e.kernel).toBe('broken_kernel');
      expect(e.line).toBe(3);
      expect(e.message).toContain('undefined_name');
    });

    it('an array larger than a binding allows is a GpuOutOfMemoryError, at once', () => {
      const limit = gpu().device.limits.maxStorageBufferBindingSize;
      const big = la.broadcastTo(la.array([1, 2], { dtype: 'float32', backend: gpu() }), [
        Math.ceil(limit / 8) + 1,
        2,
      ]);
      expect(() => la.sum(la.add(big, 1), { axis: 0 })).toThrow(GpuOutOfMemoryError);
    });

    it('a lost device is a GpuDeviceLostError with the reason', async () => {
      const other = await createGpuBackend({ name: 'webgpu-lost' });
      const x = la.array([1, 2, 3], { dtype: 'float32', backend: other });
      other.device.destroy(); // what a driver reset looks like from here
      await other.device.lost;
      const e = (() => {
        try {
          la.exp(la.add(x, 1));
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(GpuDeviceLostError);
      expect((e as GpuDeviceLostError).reason).toBe('destroyed');
      other.destroy();
      expect(la.listBackends()).not.toContain('webgpu-lost');
    });

    it('the autotuner times every tile, picks the fastest and caches the choice per adapter', async () => {
      const r = await autotuneMatmul(gpu(), { size: 64, reps: 1 });
      expect(r.timings).toHaveLength(MATMUL_TILES.length);
      const best = Math.min(...r.timings.map((t) => t.seconds));
      expect(r.timings.find((t) => t.tile === r.tile)!.seconds).toBe(best);
      expect(gpu().matmulTile).toBe(r.tile);
      const again = await autotuneMatmul(gpu());
      expect(again.cached).toBe(true);
      expect(again.tile).toBe(r.tile);
      gpu().setMatmulTile();
    });

    it('reports the adapter', () => {
      const info = gpu().info;
      expect(typeof info.description).toBe('string');
      expect(info.features).toEqual([...info.features].sort());
    });
  },
);
