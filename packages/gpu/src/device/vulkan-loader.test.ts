// Without a Vulkan loader, createGpuBackend must say so itself instead of letting Dawn print
// "Couldn't load Vulkan" from native code in every test file.
import { describe, expect, it } from 'vitest';
import { findVulkanLoader, localVulkanLoader } from './vulkan-loader.js';

const none = { exists: () => false, libraryPath: undefined, ldconfig: () => '' };

describe('finding the Vulkan loader', () => {
  it('finds libvulkan.so.1 in LD_LIBRARY_PATH or the standard directories', () => {
    const at = (path: string) => ({ ...none, exists: (p: string) => p === path });
    expect(findVulkanLoader({ ...at('/opt/vk/libvulkan.so.1'), libraryPath: '/opt/vk' })).toBe(
      '/opt/vk/libvulkan.so.1',
    );
    expect(findVulkanLoader(at('/usr/lib64/libvulkan.so.1'))).toBe('/usr/lib64/libvulkan.so.1');
  });

  it("falls back to the linker cache, and answers 'unknown' when nothing can be checked", () => {
    const cache = '\tlibvulkan.so.1 (libc6,x86-64) => /nix/store/x/lib/libvulkan.so.1\n';
    expect(findVulkanLoader({ ...none, ldconfig: () => cache })).toBe('ldconfig');
    expect(findVulkanLoader({ ...none, ldconfig: () => undefined })).toBe('unknown');
  });

  it('is certain of absence only when the cache does not list it', () => {
    expect(findVulkanLoader(none)).toBeUndefined();
  });

  it('finds the loader on this machine when a GPU suite can run here', async () => {
    // CI installs libvulkan1 (lavapipe); a machine without it skips the GPU suites with this reason
    const found = await localVulkanLoader();
    if (process.env.SCIML_REQUIRE_GPU === '1') expect(found).toBeDefined();
    else
      expect(
        ['unknown', 'ldconfig', undefined].includes(found) || found?.endsWith('libvulkan.so.1'),
      ).toBe(true);
  });
});
