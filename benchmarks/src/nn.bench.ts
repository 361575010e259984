/**
 * One epoch of MNIST training: the MLP 784-256-256-10 (ReLU, logits + softmax cross-entropy, plain SGD
 * η = 0.1, batch 128, float32, CPU) on the 8 000 training digits of @sciml/data's offline set, against
 * TensorFlow.js (`model.fit` on its wasm backend) and jax-js (a `jit`-compiled SGD step on its wasm backend).
 * Every library starts from the same weights; the test accuracy (2 000 held-out digits) that each reaches
 * after one epoch is printed next to the times, so a fast epoch that learns nothing would show.
 * Run with `pnpm bench nn`.
 *
 * Each timed call is one full epoch as its API is used: ours `fit` (shuffling, batching, gradients,
 * updates); tfjs `model.fit` (shuffling on); jax-js a loop of jitted steps over batches prepared once
 * (no shuffle, in its favour), awaited with `blockUntilReady`.
 */

import { loadDigits, trainTestSplit } from '@sciml/data';
import { Generator, fromTypedArray, take } from '@sciml/linalg';
import { kernelPoolReady } from '@sciml/linalg/kernels';
import {
  Module,
  accuracy,
  crossEntropyWithLogits,
  fit,
  linear,
  predict,
  relu,
  sequential,
} from '@sciml/nn';
import { sgd } from '@sciml/optim';
import { loadJaxJsWasm, loadTfjsWasm, runBenchmark } from './harness/index.js';

await kernelPoolReady();
const tf = await loadTfjsWasm();
const jax = await loadJaxJsWasm();
const np = jax.numpy;

const BATCH = 128;
const LR = 0.1;
const dims = [784, 256, 256, 10];

// ---------------------------------------------------------------- data: 8 000 train / 2 000 test
const digits = await loadDigits();
const { train, test } = trainTestSplit(digits.x.shape[0]!, { test: 2000, seed: 0 });
const xTrain = take(digits.x, train, 0);
const yTrain = take(digits.y, train, 0);
const xTest = take(digits.x, test, 0);
const yTest = take(digits.y, test, 0);
const nTrain = xTrain.shape[0]!;
const xTrainData = xTrain.dataSync() as Float32Array;
const yTrainData = yTrain.dataSync() as Int32Array;
const xTestData = xTest.dataSync() as Float32Array;
const yTestData = yTest.dataSync() as Int32Array;
const oneHot = (labels: Int32Array): Float32Array => {
  const out = new Float32Array(labels.length * 10);
  labels.forEach((c, i) => {
    out[i * 10 + c] = 1;
  });
  return out;
};

// ---------------------------------------------------------------- shared initial weights ([out, in], Glorot)
const rng = new Generator(2026);
const init = dims.slice(0, -1).map((nIn, i) => {
  const nOut = dims[i + 1]!;
  const a = Math.sqrt(6 / (nIn + nOut));
  const w = new Float32Array(nOut * nIn);
  for (let k = 0; k < w.length; k++) w[k] = (2 * rng.nextFloat() - 1) * a;
  return { w, nIn, nOut };
});
/** [out, in] → [in, out] (tfjs and jax-js kernels are x·W). */
const transposed = ({ w, nIn, nOut }: (typeof init)[number]): Float32Array => {
  const t = new Float32Array(w.length);
  for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) t[i * nOut + o] = w[o * nIn + i]!;
  return t;
};

// ---------------------------------------------------------------- ours
function ourModel(): Module {
  const model = new Module(sequential(linear(256), relu, linear(256), relu, linear(10)), {
    inputShape: [784],
    dtype: 'float32',
  });
  model.loadStateDict(
    new Map(
      init.flatMap(({ w, nIn, nOut }, i) => [
        [`layers.${2 * i}.weight`, fromTypedArray(w.slice(), [nOut, nIn])],
        [`layers.${2 * i}.bias`, fromTypedArray(new Float32Array(nOut))],
      ]),
    ),
  );
  return model;
}
const ours = ourModel();
let ourSeed = 0;
const ourEpoch = () =>
  fit(ours, [xTrain, yTrain], {
    optimizer: sgd({ lr: LR }),
    loss: crossEntropyWithLogits,
    batchSize: BATCH,
    seed: ourSeed++,
    verbose: false,
  }).epochs[0]!.loss;

// ---------------------------------------------------------------- tfjs model.fit
function tfModel() {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  m.layers.forEach((layer, i) => {
    layer.setWeights([
      tf.tensor2d(transposed(init[i]!), [init[i]!.nIn, init[i]!.nOut]),
      tf.zeros([init[i]!.nOut]),
    ]);
  });
  m.compile({
    optimizer: tf.train.sgd(LR),
    loss: (yTrue: import('@tensorflow/tfjs').Tensor, yPred: import('@tensorflow/tfjs').Tensor) =>
      tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  return m;
}
const tfm = tfModel();
const tX = tf.tensor2d(xTrainData, [nTrain, 784]);
const tY = tf.tensor2d(oneHot(yTrainData), [nTrain, 10]);
const tfEpoch = async () => {
  const h = await tfm.fit(tX, tY, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
  return h.history.loss![0] as number;
};

// ---------------------------------------------------------------- jax-js jit step
type JArray = InstanceType<typeof np.Array>;
type JParams = { w: JArray; b: JArray }[];
const jaxInit = (): JParams =>
  init.map((l) => ({ w: np.array(transposed(l)).reshape([l.nIn, l.nOut]), b: np.zeros([l.nOut]) }));
function jLoss(p: JParams, x: JArray, y: JArray): JArray {
  let h = x;
  p.forEach((layer, i) => {
    const z = np.add(np.matmul(h, layer.w), layer.b);
    h = i < p.length - 1 ? jax.nn.relu(z) : z;
  });
  return np.negative(np.mean(np.sum(np.multiply(jax.nn.logSoftmax(h, -1), y), -1)));
}
const jStep = jax.jit((p: JParams, x: JArray, y: JArray) => {
  const [l, g] = jax.valueAndGrad(jLoss)(jax.tree.ref(p), x, y);
  const next = jax.tree.map((pi: JArray, gi: JArray) => np.subtract(pi, np.multiply(gi, LR)), p, g);
  return [l, next] as const;
});
const jBatches: { x: JArray; y: JArray }[] = [];
for (let s = 0; s < nTrain; s += BATCH) {
  const e = Math.min(nTrain, s + BATCH);
  jBatches.push({
    x: np.array(xTrainData.slice(s * 784, e * 784)).reshape([e - s, 784]),
    y: np.array(oneHot(yTrainData.slice(s, e))).reshape([e - s, 10]),
  });
}
let jParams = jaxInit();
const jaxEpoch = async () => {
  let last: JArray | undefined;
  for (const b of jBatches) {
    last?.dispose();
    const [l, next] = jStep(jParams, b.x.ref, b.y.ref) as unknown as [JArray, JParams];
    jParams = next;
    last = l;
  }
  await jax.blockUntilReady(jParams);
  return (await last!.data())[0]!;
};

// ---------------------------------------------------------------- accuracy after one epoch from the same start
const argmaxRows = (scores: ArrayLike<number>, n: number): number => {
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (scores[i * 10 + c]! > scores[i * 10 + best]!) best = c;
    if (best === yTestData[i]) correct++;
  }
  return correct / n;
};
const nTest = yTestData.length;
ourEpoch();
const accOurs = accuracy(predict(ours, xTest), yTest);
await tfEpoch();
const accTf = argmaxRows(
  (
    tfm.predict(tf.tensor2d(xTestData, [nTest, 784])) as import('@tensorflow/tfjs').Tensor
  ).dataSync(),
  nTest,
);
await jaxEpoch();
const jLogits = (() => {
  let h: JArray = np.array(xTestData).reshape([nTest, 784]);
  jParams.forEach((layer, i) => {
    const z = np.add(np.matmul(h, layer.w.ref), layer.b.ref);
    h = i < jParams.length - 1 ? jax.nn.relu(z) : z;
  });
  return h;
})();
const accJax = argmaxRows(await jLogits.data(), nTest);
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(
  `test accuracy after one epoch from the same weights: ours ${pct(accOurs)}, tfjs ${pct(accTf)}, jax-js ${pct(accJax)}`,
);

await runBenchmark({
  name: 'nn',
  warmup: 1,
  reps: 5,
  minSampleMs: 0,
  cases: [
    {
      case: `MNIST MLP 784-256-256-10, 1 epoch (${nTrain} rows, batch ${BATCH}) float32 SGD; acc ours ${pct(accOurs)}`,
      unit: 's',
      ours: ourEpoch,
      peers: [
        { name: `tfjs wasm model.fit (acc ${pct(accTf)})`, run: tfEpoch },
        { name: `jax-js wasm jit step (acc ${pct(accJax)})`, run: jaxEpoch },
      ],
      verify: (a, b, name) => {
        const [x, y] = [a as number, b as number];
        if (!(Number.isFinite(x) && Number.isFinite(y)) || Math.abs(x - y) > 0.5 * Math.max(x, y))
          throw new Error(`nn bench: epoch losses ${x} (ours) and ${y} (${name}) are far apart`);
      },
    },
  ],
});
