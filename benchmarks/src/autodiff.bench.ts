/**
 * Reverse-mode autodiff on an MLP (3 hidden layers × 256, tanh, batch 256, float32, mean squared error):
 * the time of value + gradient, side by side with jax-js (`valueAndGrad` on its wasm backend, eager and
 * under `jit`) and TensorFlow.js (`variableGrads` on its wasm backend), plus the forward pass alone, so the
 * cost of the gradient relative to the forward pass (value+grad / forward) is on record. Second order: the
 * PINN-style u_xx (`grad(grad(u))`) of a 4×50 tanh network at 10 000 points, against jax-js.
 * Run with `pnpm bench autodiff`.
 *
 * Compiled cases (`jit`, `vmap`): `jit(valueAndGrad)` of the MLP against jax-js `jit(valueAndGrad)` and our
 * eager step; the PINN u_xx and a full PINN training step (loss with u_xx, gradient w.r.t. the parameters)
 * under `jit`; tanh(a·b + c) on 10⁶ float64 elements as three NDArray ops under `jit` against the hand-written
 * fused wasm kernel `fusedMulAddTanhF64`; per-example gradients `vmap(grad)` (batch 128, the MLP) against a
 * loop of `grad` calls, also under `jit` donating the last call's gradients (JAX's steady-loop idiom: the
 * results reuse their memory), and as a steady loop frees its arrays (each step in a `scope`, or the results
 * disposed after use), so allocations reuse memory from the CPU storage pool. Trace + compile times are printed separately (the first call of each
 * compiled function), never mixed into the steady-state step times. Two floor rows show what returning
 * fresh arrays costs by itself (page faults on first write dominate on some machines): the fused wasm
 * kernel writing into a new 10⁶-element array, and allocating + writing the 100 MB of stacked per-example
 * gradients. The iterated a ← tanh(a·b + c) row donates `a` (`jit(f, { donate: 0 })`), so the result reuses
 * a's memory, against the hand-written kernel writing in place.
 *
 * Every timed call includes what its API costs a user: ours returns finished CPU arrays; jax-js's result
 * is awaited (`blockUntilReady`) and disposed, and inputs are passed with `.ref` (jax-js consumes
 * arguments); tfjs runs under `tidy` and reads the loss back with `dataSync` (its wasm backend is
 * synchronous). Inputs and parameters are built once, outside the timing.
 */

import { grad, jit, valueAndGrad, vmap } from '@sciml/autodiff';
import * as linalg from '@sciml/linalg';
import * as kernels from '@sciml/linalg/kernels';
import {
  type NDArray,
  add,
  fromTypedArray,
  Generator,
  matmul,
  mean,
  mul,
  reshape,
  scope,
  sub,
  sum,
  tanh,
} from '@sciml/linalg';
import { loadJaxJsWasm, loadTfjsWasm, runBenchmark } from './harness/index.js';

// the kernel API (gemm, sum/dot, tanh, pool control) lives on the @sciml/linalg/kernels subpath
await kernels.kernelPoolReady();

// the @tensorflow/tfjs bundle registers the gradients that variableGrads needs (tfjs-core alone has none)
const tf = await loadTfjsWasm();
const jax = await loadJaxJsWasm();
const np = jax.numpy;

const rng = new Generator(2026);
/** Uniform float32 values in [−s, s). */
function uniform32(length: number, s: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * rng.nextFloat() - 1) * s;
  return out;
}

// ---------------------------------------------------------------- MLP 256 → 256 → 256 → 256 → 1
const BATCH = 256;
const WIDTH = 256;
const IN = 256;
const dims = [IN, WIDTH, WIDTH, WIDTH, 1];
const layerData = dims.slice(0, -1).map((d, i) => ({
  w: uniform32(d * dims[i + 1]!, 1 / Math.sqrt(d)),
  b: uniform32(dims[i + 1]!, 0.1),
  shape: [d, dims[i + 1]!] as [number, number],
}));
const xData = uniform32(BATCH * IN, 1);
const yData = uniform32(BATCH, 1);

// ours
type Params = { w: NDArray; b: NDArray }[];
const params: Params = layerData.map((l) => ({
  w: fromTypedArray(l.w.slice(), l.shape),
  b: fromTypedArray(l.b.slice(), [l.shape[1]]),
}));
const X = fromTypedArray(xData.slice(), [BATCH, IN]);
const Y = fromTypedArray(yData.slice(), [BATCH, 1]);
function mlp(p: Params, x: NDArray): NDArray {
  let h = x;
  p.forEach((layer, i) => {
    const z = add(matmul(h, layer.w), layer.b);
    h = i < p.length - 1 ? tanh(z) : z;
  });
  return h;
}
const loss = (p: Params): NDArray => {
  const r = sub(mlp(p, X), Y);
  return mean(mul(r, r));
};
const lossAndGrad = valueAndGrad(loss);

// jax-js
type JParams = { w: InstanceType<typeof np.Array>; b: InstanceType<typeof np.Array> }[];
const jParams: JParams = layerData.map((l) => ({
  w: np.array(l.w).reshape(l.shape),
  b: np.array(l.b),
}));
const jX = np.array(xData).reshape([BATCH, IN]);
const jY = np.array(yData).reshape([BATCH, 1]);
function jLoss(p: JParams): InstanceType<typeof np.Array> {
  let h = jX.ref;
  p.forEach((layer, i) => {
    const z = np.add(np.matmul(h, layer.w), layer.b);
    h = i < p.length - 1 ? np.tanh(z) : z;
  });
  const r = np.subtract(h, jY.ref);
  return np.mean(np.multiply(r.ref, r));
}
const jVG = jax.valueAndGrad(jLoss);
const jVGJit = jax.jit(jax.valueAndGrad(jLoss));
const jForwardJit = jax.jit(jLoss);
async function runJax(fn: (p: JParams) => unknown): Promise<number> {
  const out = fn(jax.tree.ref(jParams)) as
    | InstanceType<typeof np.Array>
    | [InstanceType<typeof np.Array>, JParams];
  await jax.blockUntilReady(out);
  const value = Array.isArray(out) ? out[0] : out;
  const v = (await value.ref.data())[0]!;
  jax.tree.dispose(out);
  return v;
}

// tfjs
const tParams = layerData.map((l, i) => ({
  w: tf.variable(tf.tensor2d(l.w, l.shape), true, `w${i}`),
  b: tf.variable(tf.tensor1d(l.b), true, `b${i}`),
}));
const tX = tf.tensor2d(xData, [BATCH, IN]);
const tY = tf.tensor2d(yData, [BATCH, 1]);
function tLoss(): import('@tensorflow/tfjs').Scalar {
  let h: import('@tensorflow/tfjs').Tensor = tX;
  tParams.forEach((layer, i) => {
    const z = tf.add(tf.matMul(h, layer.w), layer.b);
    h = i < tParams.length - 1 ? tf.tanh(z) : z;
  });
  return tf.mean(tf.square(tf.sub(h, tY))) as import('@tensorflow/tfjs').Scalar;
}
function runTf(): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(tLoss);
    const v = value.dataSync()[0]!;
    for (const g of Object.values(grads)) g.dataSync();
    return v;
  });
}

/** The losses agree to float32 rounding of 256-term sums. */
function sameLoss(ours: unknown, peer: unknown, peerName: string): void {
  const a = ours as number;
  const b = peer as number;
  if (Math.abs(a - b) > 1e-4 * Math.max(1, Math.abs(a))) {
    throw new Error(`autodiff bench: our loss ${a} but ${peerName} gives ${b}; the models differ`);
  }
}

// gradients agree too (first layer's weights, relative max error)
{
  const [, g] = lossAndGrad(params);
  const ours = g[0]!.w.dataSync();
  const { grads } = tf.variableGrads(tLoss);
  const theirs = grads.w0!.dataSync();
  let err = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    err = Math.max(err, Math.abs(ours[i]! - theirs[i]!));
    scale = Math.max(scale, Math.abs(theirs[i]!));
  }
  if (err > 1e-3 * scale)
    throw new Error(`autodiff bench: gradients differ from tfjs (${err} vs scale ${scale})`);
}

// ---------------------------------------------------------------- PINN u_xx, 4×50 tanh, 10 000 points
const POINTS = 10_000;
const pinnDims = [1, 50, 50, 50, 50, 1];
const pinnData = pinnDims.slice(0, -1).map((d, i) => ({
  w: uniform32(d * pinnDims[i + 1]!, 1 / Math.sqrt(d)),
  b: uniform32(pinnDims[i + 1]!, 0.1),
  shape: [d, pinnDims[i + 1]!] as [number, number],
}));
const pointData = uniform32(POINTS, 1);
const pinn: Params = pinnData.map((l) => ({
  w: fromTypedArray(l.w.slice(), l.shape),
  b: fromTypedArray(l.b.slice(), [l.shape[1]]),
}));
const points = fromTypedArray(pointData.slice(), [POINTS]);
// u(xᵢ) depends on xᵢ only, so ∂/∂x Σu is u′ pointwise, and once more u″
const u = (x: NDArray): NDArray => reshape(mlp(pinn, reshape(x, [POINTS, 1])), [POINTS]);
const uxx = grad((x: NDArray) => sum(grad((z: NDArray) => sum(u(z)))(x)));

const jPinn: JParams = pinnData.map((l) => ({
  w: np.array(l.w).reshape(l.shape),
  b: np.array(l.b),
}));
const jPoints = np.array(pointData);
function jU(x: InstanceType<typeof np.Array>): InstanceType<typeof np.Array> {
  let h = x.reshape([POINTS, 1]);
  jPinn.forEach((layer, i) => {
    const z = np.add(np.matmul(h, layer.w.ref), layer.b.ref);
    h = i < jPinn.length - 1 ? np.tanh(z) : z;
  });
  return np.sum(h);
}
const jUxx = jax.jit(jax.grad((x: InstanceType<typeof np.Array>) => np.sum(jax.grad(jU)(x))));
const jUxxEager = jax.grad((x: InstanceType<typeof np.Array>) => np.sum(jax.grad(jU)(x)));
async function runJaxUxx(
  fn: (x: InstanceType<typeof np.Array>) => InstanceType<typeof np.Array>,
): Promise<number> {
  const out = fn(jPoints.ref);
  const v = (await out.data())[0]!;
  return v;
}

// ---------------------------------------------------------------- compiled (jit / vmap)
/** First call of a compiled function (trace + compile + one run), in ms. */
function firstCall(name: string, fn: () => unknown): void {
  const t0 = performance.now();
  fn();
  compileTimes.push(`${name}: first call ${(performance.now() - t0).toFixed(1)} ms`);
}
const compileTimes: string[] = [];
const lossAndGradJit = jit(lossAndGrad);
firstCall('MLP jit(valueAndGrad)', () => lossAndGradJit(params));
const uxxJit = jit(uxx);
firstCall('PINN jit(u_xx)', () => uxxJit(points));
// PINN training step: residual u_xx + sin(πx)·π² (Poisson −u″ = f), loss = mean residual², gradient w.r.t. the parameters
const pinnForcing = linalg.mul(linalg.sin(linalg.mul(points, Math.PI)), Math.PI * Math.PI);
const pinnLoss = (p: Params): NDArray => {
  const u2 = (x: NDArray): NDArray => reshape(mlp(p, reshape(x, [POINTS, 1])), [POINTS]);
  const uxxP = grad((x: NDArray) => sum(grad((z: NDArray) => sum(u2(z)))(x)))(points);
  const r = add(uxxP, pinnForcing);
  return mean(mul(r, r));
};
const pinnStep = valueAndGrad(pinnLoss);
const pinnStepJit = jit(pinnStep);
firstCall('PINN training step jit(valueAndGrad)', () => pinnStepJit(pinn));

// tanh(a·b + c) on 10⁶ float64 elements
const N_ELEM = 1_000_000;
const f64 = (): Float64Array => {
  const v = new Float64Array(N_ELEM);
  for (let i = 0; i < N_ELEM; i++) v[i] = 2 * rng.nextFloat() - 1;
  return v;
};
const [ea, eb, ec] = [f64(), f64(), f64()];
const [A, Bv, C] = [ea, eb, ec].map((v) => fromTypedArray(v));
const mulAddTanh = (a: NDArray, b: NDArray, c: NDArray): NDArray => tanh(add(mul(a, b), c));
const mulAddTanhJit = jit(mulAddTanh);
firstCall('tanh(a·b+c) jit', () => mulAddTanhJit(A!, Bv!, C!));
const fusedOut = new Float64Array(N_ELEM);
// the same program iterated, a ← tanh(a·b + c), with `a` donated: the result goes into a's memory, no fresh
// array per call (`get` reads one element without exposing the storage, which would forbid the reuse)
const mulAddTanhDonating = jit(mulAddTanh, { donate: 0 });
let aIter = mul(A!, 1);
firstCall('tanh(a·b+c) jit donating a', () => {
  aIter = mulAddTanhDonating(aIter, Bv!, C!);
});
aIter = mul(A!, 1);
const peerIter = ea.slice();

// per-example gradients, batch 128, the MLP above
const PER_EXAMPLE = 128;
const xsPE = fromTypedArray(xData.slice(0, PER_EXAMPLE * IN), [PER_EXAMPLE, IN]);
const ysPE = fromTypedArray(yData.slice(0, PER_EXAMPLE), [PER_EXAMPLE, 1]);
const exampleLoss = (p: Params, x: NDArray, y: NDArray): NDArray => {
  const r = sub(mlp(p, reshape(x, [1, IN])), reshape(y, [1, 1]));
  return mean(mul(r, r));
};
const exampleGrad = grad(exampleLoss);
const perExample = vmap(exampleGrad, { inAxes: [null, 0, 0] });
const perExampleJit = jit(perExample);
firstCall('per-example jit(vmap(grad))', () => perExampleJit(params, xsPE, ysPE));
// the same program in a steady loop with JAX's donate_argnums: each call gives back the last call's
// gradients (which it never reads), and the results are written into their memory instead of fresh pages;
// `get` reads the checked entry without exposing the storage, which would forbid the reuse
const perExampleDonating = jit(
  (p: Params, x: NDArray, y: NDArray, _last: Params) => perExample(p, x, y),
  { donate: 3 },
);
let lastPE = perExampleJit(params, xsPE, ysPE);
firstCall('per-example jit(vmap(grad)) donating the last gradients', () => {
  lastPE = perExampleDonating(params, xsPE, ysPE, lastPE);
});
const rowsPE = Array.from({ length: PER_EXAMPLE }, (_, i) => [
  linalg.slice(xsPE, i),
  linalg.slice(ysPE, i),
]) as [NDArray, NDArray][];
/** Element (0, 1) of the first layer's weight gradient of example 0 (flat index 1 either way). */
const firstWeightGrad = (g: Params): number => g[0]!.w.dataSync()[1]!;
/** The per-example gradients one `grad` call at a time; returns example 0's entry like `firstWeightGrad`. */
function loopOfGrads(): number {
  const gs = rowsPE.map(([x, y]) => exampleGrad(params, x, y));
  return firstWeightGrad(gs[0]!);
}

/**
 * The loop of `grad` calls as a steady training loop writes it: each call's arrays freed when the step is done
 * (a `scope`), so the next step's allocations reuse their memory from the CPU storage pool. Reads example
 * 0's entry with `get`, which, unlike `dataSync`, leaves the storage reusable.
 */
function loopOfGradsScoped(): number {
  return scope(() => {
    const gs = rowsPE.map(([x, y]) => exampleGrad(params, x, y));
    return gs[0]![0]!.w.get(0, 1);
  });
}
/** Frees every array of a gradient pytree (the caller is done with it). */
const disposeGrads = (g: Params): void => {
  for (const l of g) {
    l.w.dispose();
    l.b.dispose();
  }
};

/**
 * The least any `vmap(grad)` can cost: its results are B stacked copies of every parameter (3 × 128 × 256 ×
 * 256 float32 weights, 100 MB), each a fresh array whose pages the OS maps on first write; the loop's
 * 384 small arrays come from recycled heap memory instead. Writes the same arrays with the true example-0
 * entry, so `verify` holds; the ratio ours/floor shows how much above the memory floor we are.
 */
const peGrad0 = firstWeightGrad(exampleGrad(params, rowsPE[0]![0], rowsPE[0]![1]));
function stackedFloor(): number {
  const outs = params.map((l) => [
    new Float32Array(PER_EXAMPLE * l.w.size),
    new Float32Array(PER_EXAMPLE * l.b.size),
  ]);
  for (const [w, b] of outs) {
    w!.fill(1);
    b!.fill(1);
  }
  outs[0]![0]![1] = peGrad0;
  return outs[0]![0]![1]!;
}

/** Two numbers agree to float32 rounding of a long computation. */
const close =
  (rel: number) =>
  (ours: unknown, peer: unknown, name: string): void => {
    const a = ours as number;
    const b = peer as number;
    if (Math.abs(a - b) > rel * Math.max(1, Math.abs(a)))
      throw new Error(`autodiff bench: ${a} but ${name} gives ${b}`);
  };

const result = await runBenchmark({
  name: 'autodiff',
  // the PINN case takes seconds per call: fewer rounds keep the whole run to a few minutes
  warmup: 2,
  reps: 9,
  cases: [
    {
      case: `MLP 3×${WIDTH} tanh batch ${BATCH} float32: value+grad`,
      ours: () => lossAndGrad(params)[0].item(),
      peers: [
        { name: 'jax-js wasm jit(valueAndGrad)', run: () => runJax(jVGJit) },
        { name: 'jax-js wasm valueAndGrad (eager)', run: () => runJax(jVG) },
        { name: 'tfjs wasm variableGrads', run: runTf },
      ],
      verify: sameLoss,
    },
    {
      case: `MLP 3×${WIDTH} tanh batch ${BATCH} float32: forward`,
      ours: () => loss(params).item(),
      peers: [
        { name: 'jax-js wasm jit(loss)', run: () => runJax(jForwardJit) },
        { name: 'tfjs wasm forward', run: () => tf.tidy(() => tLoss().dataSync()[0]!) },
      ],
      verify: sameLoss,
    },
    {
      case: `PINN u_xx = grad(grad(u)), 4×50 tanh, ${POINTS} points float32`,
      ours: () => uxx(points).dataSync()[0]!,
      peers: [
        { name: 'jax-js wasm jit(grad(grad))', run: () => runJaxUxx(jUxx) },
        { name: 'jax-js wasm grad(grad) (eager)', run: () => runJaxUxx(jUxxEager) },
      ],
      verify: (ours, peer, name) => {
        const a = ours as number;
        const b = peer as number;
        if (Math.abs(a - b) > 1e-3 * Math.max(1, Math.abs(a)))
          throw new Error(`u_xx differs from ${name}: ${a} vs ${b}`);
      },
    },
    {
      case: `MLP 3×${WIDTH} tanh batch ${BATCH} float32: jit(valueAndGrad)`,
      // jax-js's step time varies from round to round (its garbage collection lands in some samples and not
      // others): samples of ≥ 250 ms hold tens of steps, collections included, and 25 rounds steady the median
      settings: { reps: 25, minSampleMs: 250 },
      ours: () => lossAndGradJit(params)[0].item(),
      peers: [
        { name: 'jax-js wasm jit(valueAndGrad)', run: () => runJax(jVGJit) },
        { name: '@sciml eager valueAndGrad', run: () => lossAndGrad(params)[0].item() },
      ],
      verify: sameLoss,
    },
    {
      case: `PINN u_xx, 4×50 tanh, ${POINTS} points float32: jit(grad(grad))`,
      ours: () => uxxJit(points).dataSync()[0]!,
      peers: [
        { name: 'jax-js wasm jit(grad(grad))', run: () => runJaxUxx(jUxx) },
        { name: '@sciml eager grad(grad)', run: () => uxx(points).dataSync()[0]! },
      ],
      verify: close(1e-3),
    },
    {
      case: `PINN training step (loss with u_xx, grad w.r.t. params), ${POINTS} points float32: jit(valueAndGrad)`,
      ours: () => pinnStepJit(pinn)[0].item(),
      peers: [{ name: '@sciml eager valueAndGrad', run: () => pinnStep(pinn)[0].item() }],
      verify: close(1e-3),
    },
    {
      case: 'tanh(a·b+c) 1e6 float64 as NDArray ops: jit',
      ours: () => mulAddTanhJit(A!, Bv!, C!).dataSync()[7]!,
      peers: [
        {
          name: 'fusedMulAddTanhF64 (hand-written wasm)',
          run: () => {
            kernels.fusedMulAddTanhF64(ea, eb, ec, fusedOut);
            return fusedOut[7]!;
          },
        },
        {
          // what any op returning a new array pays on top of the kernel: fresh memory, page faults included
          name: 'fusedMulAddTanhF64 into a fresh output (the floor of an op returning a new array)',
          run: () => {
            const out = new Float64Array(N_ELEM);
            kernels.fusedMulAddTanhF64(ea, eb, ec, out);
            return out[7]!;
          },
        },
        { name: '@sciml eager ops', run: () => mulAddTanh(A!, Bv!, C!).dataSync()[7]! },
      ],
      verify: close(1e-14),
    },
    {
      case: 'tanh(a·b+c) 1e6 float64 as NDArray ops, iterated a ← tanh(a·b+c): jit donating a',
      ours: () => {
        aIter = mulAddTanhDonating(aIter, Bv!, C!);
        return aIter.get(7);
      },
      peers: [
        {
          name: 'fusedMulAddTanhF64 in place (hand-written wasm)',
          run: () => {
            kernels.fusedMulAddTanhF64(peerIter, eb, ec, peerIter);
            return peerIter[7]!;
          },
        },
      ],
      verify: close(1e-14),
    },
    {
      case: `per-example gradients, MLP 3×${WIDTH} tanh, batch ${PER_EXAMPLE} float32: vmap(grad)`,
      ours: () => firstWeightGrad(perExample(params, xsPE, ysPE)),
      peers: [
        { name: `@sciml loop of ${PER_EXAMPLE} grad calls`, run: loopOfGrads },
        { name: 'allocating and writing the stacked gradients (memory floor)', run: stackedFloor },
      ],
      verify: close(1e-4),
    },
    {
      case: `per-example gradients, MLP 3×${WIDTH} tanh, batch ${PER_EXAMPLE} float32: jit(vmap(grad))`,
      ours: () => firstWeightGrad(perExampleJit(params, xsPE, ysPE)),
      peers: [
        { name: `@sciml loop of ${PER_EXAMPLE} grad calls`, run: loopOfGrads },
        { name: 'allocating and writing the stacked gradients (memory floor)', run: stackedFloor },
      ],
      verify: close(1e-4),
    },
    {
      case: `per-example gradients, MLP 3×${WIDTH} tanh, batch ${PER_EXAMPLE} float32: jit(vmap(grad)) donating the last gradients`,
      ours: () => {
        lastPE = perExampleDonating(params, xsPE, ysPE, lastPE);
        return lastPE[0]!.w.get(0, 0, 1);
      },
      peers: [{ name: `@sciml loop of ${PER_EXAMPLE} grad calls`, run: loopOfGrads }],
      verify: close(1e-4),
    },
    {
      case: `per-example gradients, MLP 3×${WIDTH} tanh, batch ${PER_EXAMPLE} float32: vmap(grad), each step in a scope`,
      ours: () => scope(() => perExample(params, xsPE, ysPE)[0]!.w.get(0, 0, 1)),
      peers: [
        {
          name: `@sciml loop of ${PER_EXAMPLE} grad calls, each step in a scope`,
          run: loopOfGradsScoped,
        },
      ],
      verify: close(1e-4),
    },
    {
      case: `per-example gradients, MLP 3×${WIDTH} tanh, batch ${PER_EXAMPLE} float32: jit(vmap(grad)), results disposed after use`,
      ours: () => {
        const g = perExampleJit(params, xsPE, ysPE);
        const v = g[0]!.w.get(0, 0, 1);
        disposeGrads(g);
        return v;
      },
      peers: [
        {
          name: `@sciml loop of ${PER_EXAMPLE} grad calls, each step in a scope`,
          run: loopOfGradsScoped,
        },
      ],
      verify: close(1e-4),
    },
  ],
});

console.log('trace + compile (first call of each compiled function, not in the step times above):');
for (const line of compileTimes) console.log(`  ${line}`);
console.log(
  `  retraces: MLP ${lossAndGradJit.stats.traces}, PINN ${uxxJit.stats.traces}, PINN step ${pinnStepJit.stats.traces}, tanh ${mulAddTanhJit.stats.traces} (donating ${mulAddTanhDonating.stats.traces}), per-example ${perExampleJit.stats.traces} (donating ${perExampleDonating.stats.traces})`,
);

// the cost of the gradient relative to the forward pass, for us and each peer that ran both
const time = (c: string, peer?: string): number => {
  const row = result.rows.find(
    (r) => r.case.endsWith(c) && (peer === undefined || r.peerName.startsWith(peer)),
  )!;
  return peer === undefined ? row.ours : row.peer;
};
console.log(
  `value+grad / forward: ours ${(time('value+grad') / time('forward')).toFixed(2)}× (target ≤ 3×)`,
);
console.log(
  `  jax-js jit ${(time('value+grad', 'jax-js wasm jit') / time('forward', 'jax-js wasm jit')).toFixed(2)}×, tfjs ${(time('value+grad', 'tfjs') / time('forward', 'tfjs')).toFixed(2)}×`,
);
await kernels.shutdownKernelPool();
process.exit(0);
