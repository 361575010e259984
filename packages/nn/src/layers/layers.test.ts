import { checkGrads } from '@sciml/autodiff';
import { Generator, type NDArray, fromTypedArray, tanh } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { gelu } from '../activations.js';
import { activation } from './activation.js';
import { multiHeadSelfAttention } from './attention.js';
import { batchNorm } from './batch-norm.js';
import { conv1dLayer, conv2dLayer, convTranspose1dLayer, convTranspose2dLayer } from './conv.js';
import { dropout } from './dropout.js';
import { embedding } from './embedding.js';
import type { Layer } from './layer.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';
import {
  avgPool1dLayer,
  avgPool2dLayer,
  globalAvgPoolLayer,
  globalMaxPoolLayer,
  maxPool1dLayer,
  maxPool2dLayer,
} from './pool.js';
import { gru, lstm, rnn } from './recurrent.js';
import { flatten, reshape } from './reshape.js';
import { residual } from './residual.js';
import { sequential } from './sequential.js';
import { transformerEncoderBlock } from './transformer.js';

interface Row {
  name: string;
  layer: Layer;
  inputShape: number[];
  order: 1 | 2;
  training?: boolean;
}

// One row per layer: gradients with respect to parameters and inputs against central differences
// (order 2 for the smooth layers: the Hessian-vector products PINN-style training needs).
const rows: Row[] = [
  { name: 'linear', layer: linear(3), inputShape: [4], order: 2 },
  {
    name: 'linear without bias on [T, F]',
    layer: linear(2, { bias: false }),
    inputShape: [3, 4],
    order: 2,
  },
  { name: 'layerNorm', layer: layerNorm(), inputShape: [5], order: 2 },
  { name: 'layerNorm over 2 axes', layer: layerNorm({ axes: 2 }), inputShape: [2, 3], order: 2 },
  { name: 'batchNorm (training)', layer: batchNorm(), inputShape: [3], order: 2, training: true },
  {
    name: 'batchNorm [C, L] (training)',
    layer: batchNorm(),
    inputShape: [2, 3],
    order: 2,
    training: true,
  },
  { name: 'batchNorm (eval)', layer: batchNorm(), inputShape: [3], order: 2 },
  {
    name: 'dropout (training, fixed mask)',
    layer: dropout(0.3),
    inputShape: [6],
    order: 2,
    training: true,
  },
  { name: 'activation(gelu)', layer: activation('gelu'), inputShape: [4], order: 2 },
  { name: 'flatten', layer: flatten(), inputShape: [2, 3], order: 2 },
  { name: 'reshape', layer: reshape([3, 2]), inputShape: [6], order: 2 },
  { name: 'sequential', layer: sequential(linear(5), gelu, linear(2)), inputShape: [3], order: 2 },
  {
    name: 'residual',
    layer: residual(sequential(linear(4), tanh, linear(4))),
    inputShape: [4],
    order: 2,
  },
  {
    name: 'residual with projection',
    layer: residual(sequential(linear(3), tanh), { shortcut: linear(3, { bias: false }) }),
    inputShape: [4],
    order: 2,
  },
  {
    name: 'conv1dLayer (stride 2, padding 1)',
    layer: conv1dLayer(3, { kernelSize: 3, stride: 2, padding: 1 }),
    inputShape: [2, 7],
    order: 2,
  },
  {
    name: 'conv2dLayer (same, groups 2)',
    layer: conv2dLayer(4, { kernelSize: [3, 2], padding: 'same', groups: 2 }),
    inputShape: [2, 4, 5],
    order: 2,
  },
  {
    name: 'convTranspose1dLayer (stride 2)',
    layer: convTranspose1dLayer(2, { kernelSize: 3, stride: 2, padding: 1, outputPadding: 1 }),
    inputShape: [3, 4],
    order: 2,
  },
  {
    name: 'convTranspose2dLayer',
    layer: convTranspose2dLayer(2, { kernelSize: 2, stride: 2 }),
    inputShape: [3, 2, 3],
    order: 2,
  },
  {
    name: 'maxPool1dLayer',
    layer: maxPool1dLayer({ kernelSize: 2 }),
    inputShape: [2, 6],
    order: 1,
  },
  {
    name: 'maxPool2dLayer',
    layer: maxPool2dLayer({ kernelSize: 2, stride: 1 }),
    inputShape: [2, 3, 4],
    order: 1,
  },
  {
    name: 'avgPool1dLayer',
    layer: avgPool1dLayer({ kernelSize: 3, padding: 1 }),
    inputShape: [2, 5],
    order: 2,
  },
  {
    name: 'avgPool2dLayer',
    layer: avgPool2dLayer({ kernelSize: 2 }),
    inputShape: [1, 4, 4],
    order: 2,
  },
  { name: 'globalAvgPoolLayer', layer: globalAvgPoolLayer(), inputShape: [3, 2, 2], order: 2 },
  { name: 'globalMaxPoolLayer', layer: globalMaxPoolLayer(), inputShape: [3, 4], order: 1 },
  { name: 'rnn', layer: rnn(3), inputShape: [3, 2], order: 2 },
  { name: 'gru', layer: gru(3, { returnSequences: false }), inputShape: [3, 2], order: 2 },
  { name: 'lstm', layer: lstm(3), inputShape: [3, 2], order: 2 },
  {
    name: 'multiHeadSelfAttention',
    layer: multiHeadSelfAttention(4, 2),
    inputShape: [3, 4],
    order: 2,
  },
  {
    name: 'causal attention',
    layer: multiHeadSelfAttention(4, 2, { causal: true }),
    inputShape: [3, 4],
    order: 2,
  },
  {
    name: 'transformerEncoderBlock (post-norm, relu)',
    layer: transformerEncoderBlock(4, 2, { feedForward: 6 }),
    inputShape: [3, 4],
    order: 1,
  },
  {
    name: 'transformerEncoderBlock (pre-norm, gelu)',
    layer: transformerEncoderBlock(4, 2, { feedForward: 6, normFirst: true, activation: gelu }),
    inputShape: [3, 4],
    order: 2,
  },
];

describe('layers: gradients (checkGrads against central differences)', () => {
  it.each(rows)('$name (order $order)', ({ layer, inputShape, order, training }) => {
    const rng = new Generator(7);
    const params = layer.init(rng, inputShape);
    const state = layer.initState(inputShape);
    const x = rng.normal([2 * (training ? 3 : 1), ...inputShape]);
    const f = (p: typeof params, xx: NDArray) =>
      layer.apply(p, xx, { state, training, rng: new Generator(11) }).y;
    expect(f(params, x).shape).toEqual([x.shape[0], ...layer.outputShape(inputShape)]);
    checkGrads(f, [params, x], { order });
  });

  it('embedding: gathers rows, gradient scatters back (checkGrads in the table)', () => {
    const emb = embedding(5, 3);
    const params = emb.init(new Generator(1), [4]);
    const idx = fromTypedArray(Int32Array.from([0, 4, 4, 2, 1, 0, 3, 3]), [2, 4]);
    const y = emb.apply(params, idx).y;
    expect(y.shape).toEqual([2, 4, 3]);
    expect(Array.from(y.dataSync().slice(3, 6))).toEqual(
      Array.from(params.weight.dataSync().slice(12, 15)),
    );
    checkGrads((p: typeof params) => emb.apply(p, idx).y, [params], { order: 2 });
    expect(() => emb.apply(params, new Generator(0).normal([2, 4]))).toThrow(/int32/);
  });
});

describe('layers: shapes and errors', () => {
  it('infers shapes through a model and names parameters like PyTorch', () => {
    const net = sequential(linear(8), tanh, layerNorm(), linear(2));
    expect(net.outputShape([5])).toEqual([2]);
    const p = net.init(new Generator(0), [5]);
    expect(p.layers[0]).toHaveProperty('weight');
    expect((p.layers[0] as { weight: NDArray }).weight.shape).toEqual([8, 5]);
    expect(p.layers[1]).toEqual({});
    const cnn = sequential(
      conv2dLayer(8, { kernelSize: 5, padding: 2 }),
      maxPool2dLayer({ kernelSize: 2 }),
      conv2dLayer(16, { kernelSize: 3, stride: 2 }),
      globalAvgPoolLayer(),
      linear(10),
    );
    expect(cnn.outputShape([1, 28, 28])).toEqual([10]);
    expect(sequential(...cnn.layers.slice(0, 3)).outputShape([1, 28, 28])).toEqual([16, 6, 6]);
    const q = cnn.init(new Generator(0), [1, 28, 28]);
    expect((q.layers[2] as { weight: NDArray }).weight.shape).toEqual([16, 8, 3, 3]);
  });

  it('rejects bad configurations and inputs with typed errors naming the layer', () => {
    expect(() => linear(0)).toThrow(/linear: outFeatures must be a positive integer/);
    expect(() => multiHeadSelfAttention(6, 4)).toThrow(/divisible/);
    expect(() => dropout(1)).toThrow(/\[0, 1\)/);
    expect(() => reshape([4]).outputShape([6])).toThrow(/sizes differ/);
    expect(() => residual(linear(3)).outputShape([4])).toThrow(/shortcut/);
    const l = linear(2);
    const p = l.init(new Generator(0), [3]);
    expect(() => l.apply(p, new Generator(0).normal([4, 5]))).toThrow(/3 features/);
    const d = dropout(0.5);
    expect(() => d.apply({}, new Generator(0).normal([2]), { training: true })).toThrow(
      /needs an rng/,
    );
    expect(() => lstm(2).outputShape([3])).toThrow(/\[T, features\]/);
    expect(() => conv2dLayer(4, { kernelSize: 3 }).outputShape([1, 2, 2])).toThrow(/does not fit/);
    expect(() => conv2dLayer(4, { kernelSize: 3 }).outputShape([28, 28])).toThrow(/channels first/);
  });
});
