/**
 * The same matrix product and fused-looking elementwise chain on the CPU (wasm, float32) and on
 * WebGPU where the browser offers it: the results must agree to float32 rounding.
 */
import { type GpuBackend, createGpuBackend } from '@sciml/gpu';
import { type NDArray, Generator, add, array, matmul, mul, tanh } from '@sciml/linalg';
import type { Demo, DemoResult, RunContext } from './types.js';

const N = 256;

function inputs() {
  const rng = new Generator(11);
  const f32 = (n: number, s: number) =>
    Float32Array.from({ length: n }, () => s * (2 * rng.nextFloat() - 1));
  return { a: f32(N * N, 1), b: f32(N * N, 1 / Math.sqrt(N)), c: f32(N * N, 1) };
}

/** C = A·B and tanh(A ⊙ B + C) on a backend (undefined: the CPU), read back. */
async function compute(
  data: ReturnType<typeof inputs>,
  backend?: GpuBackend,
): Promise<{ product: Float32Array; chain: Float32Array }> {
  const make = (v: Float32Array): NDArray =>
    array(v, backend ? { shape: [N, N], backend } : { shape: [N, N] });
  const a = make(data.a);
  const b = make(data.b);
  const c = make(data.c);
  const product = (await matmul(a, b).data()) as Float32Array;
  const chain = (await tanh(add(mul(a, b), c)).data()) as Float32Array;
  return { product, chain };
}

function maxRelDiff(x: Float32Array, y: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++)
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(y[i]!)));
  return worst;
}

/** Runs on the CPU and, where `ctx.gpu` gives an adapter, on WebGPU; compares the two. */
export async function compareBackends(ctx: Pick<RunContext, 'gpu' | 'backend'>) {
  const data = inputs();
  const cpu = await compute(data);
  if (ctx.backend !== 'webgpu' || !ctx.gpu) {
    return { cpu, gpu: null, adapter: ctx.gpu ? 'not selected' : 'navigator.gpu is absent' };
  }
  const backend = await createGpuBackend({ gpu: ctx.gpu });
  try {
    const gpu = await compute(data, backend);
    return { cpu, gpu, adapter: backend.info.description || backend.info.device || 'WebGPU' };
  } finally {
    backend.destroy();
  }
}

export const gpuDemo: Demo = {
  id: 'gpu',
  title: 'CPU vs WebGPU: matmul and elementwise',
  about:
    'A 256 × 256 float32 matrix product and tanh(A ⊙ B + C) computed with the wasm kernels and, when the ' +
    'backend switch is on WebGPU and the browser offers an adapter, with the WGSL kernels of @sciml/gpu. ' +
    'The largest relative difference must be at float32 rounding level (~1e-6).',
  params: [],
  usesBackend: true,
  async run(_p, ctx): Promise<DemoResult> {
    ctx.progress({ fraction: 0.2, message: 'computing' });
    const r = await compareBackends(ctx);
    const checksum = r.cpu.product.reduce((s, v) => s + v, 0);
    if (!r.gpu) {
      return {
        numbers: { gpu: 0, cpuChecksum: checksum },
        lines: [`CPU only (${r.adapter}); checksum of A·B = ${checksum.toFixed(4)}`],
        plots: [],
      };
    }
    const dProduct = maxRelDiff(r.gpu.product, r.cpu.product);
    const dChain = maxRelDiff(r.gpu.chain, r.cpu.chain);
    return {
      numbers: { gpu: 1, cpuChecksum: checksum, productDiff: dProduct, chainDiff: dChain },
      lines: [
        `adapter: ${r.adapter}`,
        `max relative difference, A·B: ${dProduct.toExponential(2)}; tanh(A⊙B + C): ${dChain.toExponential(2)}`,
      ],
      plots: [],
    };
  },
};
