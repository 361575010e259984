/**
 * The demos run here, off the page's main thread, so the page never freezes; the stop button
 * terminates this worker. In a cross-origin-isolated page the wasm kernels start their own pool of
 * Web Workers from here (a window's main thread may not block in Atomics.wait; a worker may).
 */
import { initKernels, kernelPoolReady, kernelPoolStats } from '@sciml/linalg/kernels';
import { demoById } from './demos/index.js';
import type { KernelStatus, RunRequest, WorkerMessage } from './protocol.js';

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

let wasm = false;
function status(): KernelStatus {
  const pool = kernelPoolStats();
  return {
    isolated: (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    wasm,
    threads: pool.threads,
    workerTasks: pool.workerTasks,
  };
}

const ready = (async () => {
  wasm = await initKernels();
  await kernelPoolReady();
  post({ type: 'ready', kernels: status() });
})();

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  const req = event.data;
  await ready;
  const t0 = performance.now();
  try {
    const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
    const result = await demoById(req.demo).run(req.params, {
      backend: req.backend,
      progress: (progress) => post({ type: 'progress', id: req.id, progress }),
      ...(gpu ? { gpu } : {}),
    });
    post({ type: 'result', id: req.id, result, kernels: status(), ms: performance.now() - t0 });
  } catch (error) {
    post({
      type: 'error',
      id: req.id,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
};
