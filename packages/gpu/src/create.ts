/** Creating, registering and selecting the WebGPU backend. */
import { registerBackend, setBackend } from '@sciml/linalg';
import { type AdapterOptions, acquireDevice } from './device/acquire.js';
import { autotuneMatmul } from './autotune.js';
import { type BackendSettings, GpuBackend } from './backend/gpu-backend.js';

/** Options of {@link createGpuBackend}: how to find the adapter, and the backend's settings. */
export interface GpuBackendOptions extends AdapterOptions, BackendSettings {
  /** Time the matmul tile candidates on this adapter before returning (cached per adapter; default false). */
  readonly autotune?: boolean;
}

/**
 * Acquires a WebGPU adapter and device and returns a backend on it (registered, not selected). Throws
 * `GpuUnavailableError` when no adapter exists, saying how to get one.
 *
 * @example
 * ```ts
 * const gpu = await createGpuBackend();
 * const a = array([[1, 2], [3, 4]], { dtype: 'float32', backend: gpu });
 * console.log(await matmul(a, a).data());
 * gpu.destroy(); // or `using gpu = ...`; Node does not exit while a device is open
 * ```
 */
export async function createGpuBackend(options: GpuBackendOptions = {}): Promise<GpuBackend> {
  const acquired = await acquireDevice(options);
  const backend = new GpuBackend(acquired, options);
  registerBackend(backend);
  if (options.autotune) await autotuneMatmul(backend);
  return backend;
}

/** Creates a GPU backend and selects it, so new arrays are created on it by default. */
export async function useGpu(options: GpuBackendOptions = {}): Promise<GpuBackend> {
  const backend = await createGpuBackend(options);
  setBackend(backend);
  return backend;
}
