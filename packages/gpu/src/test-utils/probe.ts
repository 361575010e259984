// Shared by the GPU test files: one backend per file, created by describeWithGpu's probe.
import { type GpuBackend, createGpuBackend } from '../index.js';

/** Creates a backend with outputs poisoned by NaN (so unwritten elements fail), or undefined without an adapter. */
export async function probeGpu(
  settings: { name?: string; fusion?: boolean; subgroups?: boolean } = {},
): Promise<GpuBackend | undefined> {
  return createGpuBackend({
    poisonOutputs: true,
    ...settings,
    name: settings.name ?? 'webgpu-test',
  });
}

/** ‖a − b‖₂ / ‖b‖₂ (0 when both are zero). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** Largest |a − b| / max(1, |b|), with NaN where b is not NaN counting as infinite. */
export function maxScaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    const e =
      Number.isNaN(x) !== Number.isNaN(y)
        ? Number.POSITIVE_INFINITY
        : Math.abs(x - y) / Math.max(1, Math.abs(y));
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
