/**
 * One epoch of MNIST training: the MLP 784-256-256-10 (ReLU, logits + softmax cross-entropy, plain SGD
 * η = 0.1, batch 128, float32, CPU) on the 8 000 training digits of @sciml/data's offline set, against
 * TensorFlow.js (`model.fit` on its wasm backend) and jax-js (a `jit`-compiled SGD step on its wasm backend).
 * Every library starts from the same weights; the test accuracy (2 000 held-out digits) that each reaches
 * after one epoch is printed next to the times, so a fast epoch that learns nothing would show. That epoch
 * visits the batches in the same order in every library (the data's own order, unshuffled): after one epoch
 * of SGD at η = 0.1 the accuracy depends on the shuffle draw by several points (80.9–86.7 % over six seeds,
 * the same for jax-js given the same permutations), so accuracies from different shuffles would not
 * compare the libraries. From one order the three agree to float32 rounding.
 * Run with `pnpm bench nn`.
 *
 * Each timed call is one full epoch as its API is used: ours `fit` (shuffling, batching, gradients,
 * updates; its default `jit: 'auto'` compiles each step); tfjs `model.fit` (shuffling on); jax-js a loop of
 * jitted steps over batches prepared once (no shuffle, in its favour), awaited with `blockUntilReady`.
 *
 * The small CNN runs only with `SCIML_NN_CNN=1` (or `=only`, which skips the MLP row), as its own result
 * `nn-cnn.json`: a jax-js CNN epoch takes minutes, so it is timed once (one untimed epoch first, which also
 * gives the accuracy, then one timed epoch each; the ratio is ~30× either way). It is the small CNN of the MNIST CNN test (conv 5×5 16 → 2×2 max pool → conv 3×3 32 → pool →
 * 64 → 10, ReLU, SGD η = 0.05, batch 128) against jax-js only: tfjs-wasm registers no
 * `Conv2DBackpropFilter` kernel, so `model.fit` of a convolutional model throws on that backend (see the
 * conv bench).
 */

import { batches, loadDigits, trainTestSplit } from '@sciml/data';
import { Generator, fromTypedArray, reshape, take } from '@sciml/linalg';
import { kernelPoolReady } from '@sciml/linalg/kernels';
import {
  Module,
  accuracy,
  conv2dLayer,
  crossEntropyWithLogits,
  fit,
  flatten,
  linear,
  maxPool2dLayer,
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
/**
 * One jax-js epoch: the jitted `step` over `batches`, threading the parameters through `box` (each step
 * consumes them); waits for the device and returns the last batch's loss.
 */
async function jaxEpochOf<P>(
  step: (p: P, x: JArray, y: JArray) => unknown,
  box: { params: P },
  batches: readonly { x: JArray; y: JArray }[],
): Promise<number> {
  let last: JArray | undefined;
  for (const b of batches) {
    last?.dispose();
    const [l, next] = step(box.params, b.x.ref, b.y.ref) as [JArray, P];
    box.params = next;
    last = l;
  }
  await jax.blockUntilReady(box.params);
  return (await last!.data())[0]!;
}
const jMlp = { params: jaxInit() };
const jaxEpoch = () => jaxEpochOf(jStep as never, jMlp, jBatches);

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
// the accuracy epoch: the batches in the data's order in all three libraries (jax-js's timed epochs use it too)
fit(ours, batches([xTrain, yTrain] as const, { batchSize: BATCH, shuffle: false }), {
  optimizer: sgd({ lr: LR }),
  loss: crossEntropyWithLogits,
  verbose: false,
});
const accOurs = accuracy(predict(ours, xTest), yTest);
await tfm.fit(tX, tY, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
const accTf = argmaxRows(
  (
    tfm.predict(tf.tensor2d(xTestData, [nTest, 784])) as import('@tensorflow/tfjs').Tensor
  ).dataSync(),
  nTest,
);
await jaxEpoch();
const jLogits = (() => {
  let h: JArray = np.array(xTestData).reshape([nTest, 784]);
  jMlp.params.forEach((layer, i) => {
    const z = np.add(np.matmul(h, layer.w.ref), layer.b.ref);
    h = i < jMlp.params.length - 1 ? jax.nn.relu(z) : z;
  });
  return h;
})();
const accJax = argmaxRows(await jLogits.data(), nTest);
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(
  `test accuracy after one epoch from the same weights and batch order: ours ${pct(accOurs)}, tfjs ${pct(accTf)}, jax-js ${pct(accJax)}`,
);

// ---------------------------------------------------------------- the small CNN: ours vs jax-js
const CNN_LR = 0.05;
/** [out, in, kh, kw] convolution kernels and [out, in] dense weights, Glorot-uniform from one stream. */
const cnnShapes: { name: string; shape: number[]; fanIn: number; fanOut: number }[] = [
  { name: 'layers.0', shape: [16, 1, 5, 5], fanIn: 25, fanOut: 16 * 25 },
  { name: 'layers.3', shape: [32, 16, 3, 3], fanIn: 16 * 9, fanOut: 32 * 9 },
  { name: 'layers.7', shape: [64, 32 * 7 * 7], fanIn: 32 * 49, fanOut: 64 },
  { name: 'layers.9', shape: [10, 64], fanIn: 64, fanOut: 10 },
];
const cnnInit = cnnShapes.map(({ shape, fanIn, fanOut }) => {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let k = 0; k < w.length; k++) w[k] = (2 * rng.nextFloat() - 1) * a;
  return w;
});
const ourCnn = new Module(
  sequential(
    conv2dLayer(16, { kernelSize: 5, padding: 2 }),
    relu,
    maxPool2dLayer({ kernelSize: 2 }),
    conv2dLayer(32, { kernelSize: 3, padding: 1 }),
    relu,
    maxPool2dLayer({ kernelSize: 2 }),
    flatten(),
    linear(64),
    relu,
    linear(10),
  ),
  { inputShape: [1, 28, 28], dtype: 'float32' },
);
ourCnn.loadStateDict(
  new Map(
    cnnShapes.flatMap(({ name, shape }, i) => [
      [`${name}.weight`, fromTypedArray(cnnInit[i]!.slice(), shape)],
      [`${name}.bias`, fromTypedArray(new Float32Array(shape[0]!))],
    ]),
  ),
);
const xTrainImages = reshape(xTrain, [nTrain, 1, 28, 28]);
let cnnSeed = 0;
const ourCnnEpoch = () =>
  fit(ourCnn, [xTrainImages, yTrain], {
    optimizer: sgd({ lr: CNN_LR }),
    loss: crossEntropyWithLogits,
    batchSize: BATCH,
    seed: cnnSeed++,
    verbose: false,
  }).epochs[0]!.loss;

type JCnn = JArray[];
const jCnnInit = (): JCnn =>
  cnnShapes.flatMap(({ shape }, i) => [
    np.array(cnnInit[i]!.slice()).reshape(shape),
    np.zeros([shape[0]!]),
  ]);
/** 2×2 max pooling of [N, C, H, W] as a reshape and a max (differentiable in jax-js). */
const jPool = (x: JArray): JArray => {
  const [n, c, h, w] = x.shape as number[];
  return np.max(x.reshape([n!, c!, h! / 2, 2, w! / 2, 2]), [3, 5]);
};
/** ReLU of a stride-1 convolution with `pad` zeros on each side, plus a per-channel bias. */
const jConvRelu = (x: JArray, w: JArray, b: JArray, pad: number): JArray => {
  const padding: [number, number][] = [
    [pad, pad],
    [pad, pad],
  ];
  return jax.nn.relu(np.add(jax.lax.conv(x, w, [1, 1], padding), b.reshape([1, -1, 1, 1])));
};
const jCnnLogits = (p: JCnn, x: JArray): JArray => {
  let h = jPool(jConvRelu(x, p[0]!, p[1]!, 2));
  h = jPool(jConvRelu(h, p[2]!, p[3]!, 1));
  h = h.reshape([h.shape[0]!, -1]);
  h = jax.nn.relu(np.add(np.matmul(h, np.transpose(p[4]!)), p[5]!));
  return np.add(np.matmul(h, np.transpose(p[6]!)), p[7]!);
};
const jCnnLoss = (p: JCnn, x: JArray, y: JArray): JArray =>
  np.negative(np.mean(np.sum(np.multiply(jax.nn.logSoftmax(jCnnLogits(p, x), -1), y), -1)));
const jCnnStep = jax.jit((p: JCnn, x: JArray, y: JArray) => {
  const [l, g] = jax.valueAndGrad(jCnnLoss)(jax.tree.ref(p), x, y);
  const next = jax.tree.map(
    (pi: JArray, gi: JArray) => np.subtract(pi, np.multiply(gi, CNN_LR)),
    p,
    g,
  );
  return [l, next];
});
const jCnnBatches = jBatches.map((b) => ({ x: b.x.ref.reshape([-1, 1, 28, 28]), y: b.y.ref }));
const jCnn = { params: jCnnInit() };
const jaxCnnEpoch = () => jaxEpochOf(jCnnStep as never, jCnn, jCnnBatches);
// a jax-js CNN epoch takes minutes: the CNN run is opt-in (SCIML_NN_CNN=1, or =only without the MLP row)
const cnnMode = process.env.SCIML_NN_CNN;
const withCnn = cnnMode === '1' || cnnMode === 'only';
let accOurCnn = Number.NaN;
let accJaxCnn = Number.NaN;
if (withCnn) {
  ourCnnEpoch();
  accOurCnn = accuracy(predict(ourCnn, reshape(xTest, [nTest, 1, 28, 28])), yTest);
  await jaxCnnEpoch();
  accJaxCnn = argmaxRows(
    await jCnnLogits(
      jCnn.params.map((a) => a.ref),
      np.array(xTestData).reshape([nTest, 1, 28, 28]),
    ).data(),
    nTest,
  );
  console.log(
    `CNN test accuracy after one epoch from the same weights: ours ${pct(accOurCnn)}, jax-js ${pct(accJaxCnn)}`,
  );
}

/** Both libraries trained the same model from the same start: their last batch losses are of one size. */
function epochLossesAgree(a: unknown, b: unknown, name: string): void {
  const [x, y] = [a as number, b as number];
  if (!(Number.isFinite(x) && Number.isFinite(y)) || Math.abs(x - y) > 0.5 * Math.max(x, y))
    throw new Error(`nn bench: epoch losses ${x} (ours) and ${y} (${name}) are far apart`);
}

if (cnnMode !== 'only') {
  await runBenchmark({
    name: 'nn',
    warmup: 1,
    // the ratio to jax-js is near the target: 15 interleaved rounds keep one slow round from moving the medians
    reps: 15,
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
        verify: epochLossesAgree,
      },
    ],
  });
}
if (withCnn) {
  // the accuracy epochs above were each library's untimed first epoch (compilation included)
  await runBenchmark({
    name: 'nn-cnn',
    warmup: 0,
    reps: 1,
    minSampleMs: 0,
    cases: [
      {
        case: `MNIST small CNN (conv16-pool-conv32-pool-64-10), 1 epoch (${nTrain} rows, batch ${BATCH}) float32 SGD; acc ours ${pct(accOurCnn)}`,
        unit: 's',
        ours: ourCnnEpoch,
        peers: [{ name: `jax-js wasm jit step (acc ${pct(accJaxCnn)})`, run: jaxCnnEpoch }],
        verify: epochLossesAgree,
      },
    ],
  });
}
