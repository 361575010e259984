/**
 * @sciml/generative against its peers, in one run. Run with `pnpm bench generative`.
 *
 * 1. One DDPM training step (Ho et al. 2020, L_simple): batch 128 of MNIST digits (784 pixels, float32), a
 *    random timestep per example on a 1000-step linear schedule, x_t = √ᾱ x₀ + √(1 − ᾱ) ε, the MLP denoiser
 *    [x_t, sinusoidal emb(t) (128)] → 256 → SiLU → 256 → SiLU → 784, mean-squared error to ε, gradient and
 *    one Adam update. Ours is `ddpmLoss` under `valueAndGrad` plus `adam().update` — the body of `trainDdpm`;
 *    the peer is the same step in TensorFlow.js on its wasm backend (`optimizer.minimize`), from the same
 *    initial weights, with the loss read back each step (as ours returns it).
 * 2. One VMC run of 10⁴ single-particle Metropolis moves (5 000 sweeps of two particles in a 2-D trap) with
 *    the Gaussian–binary RBM state (Carleo & Troyer 2017) and a local energy per sweep: `vmcEnergy` (with
 *    its blocking error) against the same chain written out as one plain-JS loop over Float64Arrays — the
 *    language's limit, not a library. Both draw from the same seeded Generator in the same order, so the
 *    chains and the energies agree to rounding.
 */

import { valueAndGrad } from '@sciml/autodiff';
import { loadDigits } from '@sciml/data';
import {
  type Denoiser,
  ddpmLoss,
  harmonicTrap,
  linearSchedule,
  mlpDenoiser,
  rbmWaveFunction,
  vmcEnergy,
} from '@sciml/generative';
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { kernelPoolReady } from '@sciml/linalg/kernels';
import { adam } from '@sciml/optim';
import { loadTfjsWasm, runBenchmark } from './harness/index.js';

await kernelPoolReady();
const tf = await loadTfjsWasm();
type Tensor = import('@tensorflow/tfjs').Tensor;

// ---------------------------------------------------------------- 1. DDPM step
const BATCH = 128;
const D = 784;
const EMB = 128;
const HIDDEN = 256;
const T = 1000;
const LR = 1e-3;
const schedule = linearSchedule({ timesteps: T });
const digits = await loadDigits({ perClass: 100 });
const pixels = digits.x.dataSync() as Float32Array;
const nImages = digits.x.shape[0]!;
// x₀ scaled to [−1, 1], as DDPM does for images
const x0 = new Float32Array(BATCH * D);
const batchRng = new Generator(7);
for (let i = 0; i < BATCH; i++) {
  const r = batchRng.nextInt(0, nImages);
  for (let j = 0; j < D; j++) x0[i * D + j] = 2 * pixels[r * D + j]! - 1;
}
const x0Ours = fromTypedArray(x0, [BATCH, D]);

const den = mlpDenoiser({ dim: D, hidden: HIDDEN, depth: 2, embeddingDim: EMB, dtype: 'float32' });
type DenParams = typeof den extends Denoiser<infer P> ? P : never;
let params = den.init(new Generator(2026)) as DenParams;
/** The initial weights, [out, in] per linear layer, copied to tfjs as [in, out]. */
const initLayers = (params as { layers: { weight?: NDArray; bias?: NDArray }[] }).layers
  .filter((l) => l.weight !== undefined)
  .map((l) => ({
    w: l.weight!.dataSync() as Float32Array,
    b: l.bias!.dataSync() as Float32Array,
    nOut: l.weight!.shape[0]!,
    nIn: l.weight!.shape[1]!,
  }));
const opt = adam({ lr: LR });
let optState = opt.init(params);
const stepRng = new Generator(11);
const lossGrad = valueAndGrad((p: DenParams, x: NDArray) =>
  ddpmLoss(den, p, x, { schedule, rng: stepRng }),
);
const ourStep = () => {
  const [loss, g] = lossGrad(params, x0Ours);
  const next = opt.update(params, g as DenParams, optState);
  params = next.params as DenParams;
  optState = next.state;
  return loss.item();
};

// tfjs: the same network, embedding and loss
const tfVars = initLayers.map(({ w, b, nOut, nIn }) => {
  const t = new Float32Array(w.length);
  for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) t[i * nOut + o] = w[o * nIn + i]!;
  return { w: tf.variable(tf.tensor2d(t, [nIn, nOut])), b: tf.variable(tf.tensor1d(b.slice())) };
});
const tfOpt = tf.train.adam(LR);
const tfRng = new Generator(13);
const tfX0 = tf.tensor2d(x0, [BATCH, D]);
const half = EMB / 2;
const tfStep = async () => {
  // host-side per-example timestep, coefficients and embedding, as ours
  const sa = new Float32Array(BATCH);
  const sb = new Float32Array(BATCH);
  const emb = new Float32Array(BATCH * EMB);
  for (let n = 0; n < BATCH; n++) {
    const t = tfRng.nextInt(1, T + 1);
    sa[n] = Math.sqrt(schedule.alphasCumprod[t - 1]!);
    sb[n] = Math.sqrt(1 - schedule.alphasCumprod[t - 1]!);
    for (let k = 0; k < half; k++) {
      const arg = t * 10_000 ** (-k / half);
      emb[n * EMB + k] = Math.sin(arg);
      emb[n * EMB + half + k] = Math.cos(arg);
    }
  }
  const loss = tf.tidy(() => {
    const eps = tf.randomNormal([BATCH, D]);
    const xt = tf.add(
      tf.mul(tfX0, tf.tensor2d(sa, [BATCH, 1])),
      tf.mul(eps, tf.tensor2d(sb, [BATCH, 1])),
    );
    const input = tf.concat([xt, tf.tensor2d(emb, [BATCH, EMB])], 1);
    return tfOpt.minimize(() => {
      let h: Tensor = input;
      tfVars.forEach(({ w, b }, i) => {
        const z = tf.add(tf.matMul(h, w), b);
        h = i < tfVars.length - 1 ? tf.mul(z, tf.sigmoid(z)) : z;
      });
      return tf.mean(tf.square(tf.sub(eps, h))) as import('@tensorflow/tfjs').Scalar;
    }, true)!;
  });
  const v = (await loss.data())[0]!;
  loss.dispose();
  return v;
};

// ---------------------------------------------------------------- 2. VMC: 10⁴ Metropolis moves
const P = 2;
const DIM = 2;
const M = P * DIM;
const NH = 2;
const SWEEPS = 5000;
const STEP = 1;
const wf = rbmWaveFunction({ nParticles: P, dim: DIM, nHidden: NH });
const theta = wf.init(new Generator(3), { scale: 0.1 });
const trap = harmonicTrap();
let vmcSeed = 0;
const ourVmc = () =>
  vmcEnergy(wf, theta, trap, { rng: new Generator(vmcSeed++), samples: SWEEPS, burnIn: 0 }).energy;

/** The same chain inlined: ln Ψ, its gradient and Laplacian of the RBM state, written out (σ = 1). */
let inlineSeed = 0;
const inlineVmc = () => {
  const rng = new Generator(inlineSeed++);
  const r = Float64Array.from({ length: M }, () => rng.nextNormal());
  const trial = new Float64Array(M);
  const u = new Float64Array(NH);
  const logPsi = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < M; i++) s -= (x[i]! - theta[i]!) ** 2 / 2;
    for (let j = 0; j < NH; j++) {
      let a = theta[M + j]!;
      for (let i = 0; i < M; i++) a += x[i]! * theta[M + NH + i * NH + j]!;
      u[j] = a;
      s += a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    }
    return s;
  };
  let sumE = 0;
  for (let s = 0; s < SWEEPS; s++) {
    let logOld = logPsi(r);
    for (let p = 0; p < P; p++) {
      trial.set(r);
      for (let k = 0; k < DIM; k++)
        trial[p * DIM + k] = r[p * DIM + k]! + STEP * (rng.nextFloat() - 0.5);
      const logNew = logPsi(trial);
      if (rng.nextFloat() < Math.exp(2 * (logNew - logOld))) {
        r.set(trial);
        logOld = logNew;
      }
    }
    // local energy −½(∇² ln Ψ + |∇ ln Ψ|²) + ½|r|²
    logPsi(r);
    let lap = -M;
    let g2 = 0;
    let v = 0;
    for (let i = 0; i < M; i++) {
      let g = -(r[i]! - theta[i]!);
      for (let j = 0; j < NH; j++) g += theta[M + NH + i * NH + j]! / (1 + Math.exp(-u[j]!));
      g2 += g * g;
      v += 0.5 * r[i]! * r[i]!;
    }
    for (let j = 0; j < NH; j++) {
      const q = 1 / (1 + Math.exp(-u[j]!));
      let w2 = 0;
      for (let i = 0; i < M; i++) w2 += theta[M + NH + i * NH + j]! ** 2;
      lap += w2 * q * (1 - q);
    }
    sumE += -0.5 * (lap + g2) + v;
  }
  return sumE / SWEEPS;
};

await runBenchmark({
  name: 'generative',
  warmup: 2,
  reps: 10,
  cases: [
    {
      case: `DDPM training step: batch ${BATCH}×${D} float32, MLP [x, emb ${EMB}] → ${HIDDEN} → ${HIDDEN} → ${D}, Adam`,
      unit: 'ms',
      ours: ourStep,
      peers: [{ name: 'tfjs wasm optimizer.minimize', run: tfStep }],
      verify: (a, b, name) => {
        const [x, y] = [a as number, b as number];
        // the same network from the same weights on the same images: losses of one size (ε has unit variance)
        if (!(Number.isFinite(x) && Number.isFinite(y)) || Math.abs(x - y) > 0.5 * Math.max(x, y))
          throw new Error(
            `generative bench: DDPM losses ${x} (ours) and ${y} (${name}) are far apart`,
          );
      },
    },
    {
      case: `VMC: ${2 * SWEEPS} Metropolis moves + ${SWEEPS} local energies, RBM state, 2 particles in 2-D`,
      unit: 'ms',
      ours: ourVmc,
      peers: [{ name: 'the same chain as one plain-JS loop', run: inlineVmc }],
      verify: (a, b, name) => {
        // same seed, same draws in the same order: the same chain
        if (Math.abs((a as number) - (b as number)) > 1e-9)
          throw new Error(`generative bench: VMC energies ${a} (ours) and ${b} (${name}) differ`);
      },
    },
  ],
});
