/**
 * Dawn (the `webgpu` package) runs on Vulkan on Linux. Without the Vulkan loader it prints "Couldn't load
 * Vulkan" on stderr from native code — once per process, so once per test file — before answering "no
 * adapter". Looking for the loader first lets `createGpuBackend` say what is missing, in one typed error,
 * without that noise.
 */

/** Where the dynamic linker finds libvulkan.so.1 on common Linux distributions. */
const STANDARD_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/lib64',
  '/lib',
];

/** What the search may look at (injected in tests). */
export interface LoaderProbe {
  /** Whether a file exists. */
  exists(path: string): boolean;
  /** `LD_LIBRARY_PATH`. */
  libraryPath: string | undefined;
  /** The output of `ldconfig -p`, or undefined when it cannot run. */
  ldconfig(): string | undefined;
}

/**
 * The path of the Vulkan loader, `'ldconfig'` when only the linker cache lists it, or `undefined` when it is
 * certainly absent. When nothing can be checked (no ldconfig, nothing found) it answers `'unknown'`, and
 * Dawn is left to try.
 */
export function findVulkanLoader(probe: LoaderProbe): string | undefined {
  const dirs = [...(probe.libraryPath?.split(':').filter(Boolean) ?? []), ...STANDARD_DIRS];
  for (const dir of dirs) {
    const path = `${dir}/libvulkan.so.1`;
    if (probe.exists(path)) return path;
  }
  const cache = probe.ldconfig();
  if (cache === undefined) return 'unknown';
  return /libvulkan\.so\.1\b/.test(cache) ? 'ldconfig' : undefined;
}

/** `findVulkanLoader` on this machine (Node on Linux; elsewhere 'unknown': Dawn uses Metal/D3D12 there). */
export async function localVulkanLoader(): Promise<string | undefined> {
  if (typeof process === 'undefined' || process.platform !== 'linux') return 'unknown';
  const fs = await import('node:fs');
  const cp = await import('node:child_process');
  return findVulkanLoader({
    exists: (p) => fs.existsSync(p),
    libraryPath: process.env.LD_LIBRARY_PATH,
    ldconfig: () => {
      for (const bin of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
        const r = cp.spawnSync(bin, ['-p'], { encoding: 'utf8', timeout: 5000 });
        if (r.status === 0) return r.stdout;
      }
      return undefined;
    },
  });
}
