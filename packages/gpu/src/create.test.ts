import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { expect, it } from 'vitest';
import { dawnFlagsFor } from './device/acquire.js';
import { GpuUnavailableError, createGpuBackend, useGpu } from './index.js';
import { probeGpu } from './test-utils/probe.js';

it('passes adapter name and Dawn toggles through as create() flags', () => {
  expect(
    dawnFlagsFor({
      adapterName: 'llvmpipe',
      toggles: { enable: ['a', 'b'], disable: ['c'] },
      dawnFlags: ['backend=vulkan'],
    }),
  ).toEqual([
    'backend=vulkan',
    'adapter=llvmpipe',
    'enable-dawn-features=a,b',
    'disable-dawn-features=c',
  ]);
  expect(dawnFlagsFor({})).toEqual([]);
});

describeWithGpu(
  'useGpu and adapter selection',
  () => probeGpu({ name: 'webgpu-probe-create' }),
  (probe) => {
    it('useGpu selects the backend; destroy() unregisters it and falls back to the cpu', async () => {
      probe().destroy();
      const gpu = await useGpu({ name: 'webgpu-selected' });
      try {
        expect(la.getBackend()).toBe(gpu);
        const a = la.array([1, 2, 3], { dtype: 'float32' }); // created on the selected backend
        expect(a.backend).toBe(gpu);
        expect(() => a.dataSync()).toThrow(/await a.data\(\)/);
        expect(Array.from(await la.mul(a, a).data())).toEqual([1, 4, 9]);
        gpu.flush();
        await gpu.sync();
      } finally {
        gpu.destroy();
      }
      expect(la.getBackend().name).toBe('cpu');
      expect(gpu.isDestroyed).toBe(true);
    });

    it('an adapter name that matches nothing is a GpuUnavailableError', async () => {
      const e = await createGpuBackend({ adapterName: 'no-such-adapter-7f3a' }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(GpuUnavailableError);
    });
  },
);
