/**
 * Peer libraries set up the way every benchmark needs them: TensorFlow.js on its wasm backend and
 * jax-js on its wasm backend. One place, so a benchmark only states which peer it compares against.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';

type TfCore = typeof import('@tensorflow/tfjs-core');
type TfFull = typeof import('@tensorflow/tfjs');
type JaxJs = typeof import('@jax-js/jax');

/** Points tfjs-wasm at its `.wasm` file on disk (it fetches by path) and makes wasm the backend. */
async function useWasmBackend(tf: TfCore | TfFull): Promise<void> {
  const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  tfWasm.setWasmPaths(
    `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`,
  );
  await tf.setBackend('wasm');
  await tf.ready();
}

/** tfjs-core on the wasm backend: forward kernels only (tfjs-core registers no gradients). */
export async function loadTfjsCoreWasm(): Promise<TfCore> {
  const tf = await import('@tensorflow/tfjs-core');
  await useWasmBackend(tf);
  return tf;
}

/** The full @tensorflow/tfjs bundle on the wasm backend: layers, `model.fit` and gradients. */
export async function loadTfjsWasm(): Promise<TfFull> {
  const tf = await import('@tensorflow/tfjs');
  await useWasmBackend(tf);
  return tf;
}

/** jax-js on its wasm backend, with the browser globals it reads shimmed for Node 20. */
export async function loadJaxJsWasm(): Promise<JaxJs> {
  // jax-js reads `navigator` to size its thread pool and tests `instanceof Float16Array`;
  // Node 20 has neither
  (globalThis as { navigator?: unknown }).navigator ??= {
    hardwareConcurrency: availableParallelism(),
    userAgent: `Node.js/${process.version}`,
  };
  (globalThis as { Float16Array?: unknown }).Float16Array ??= class Float16ArrayMissing {};
  const jax = await import('@jax-js/jax');
  await jax.init();
  jax.defaultDevice('wasm');
  return jax;
}
