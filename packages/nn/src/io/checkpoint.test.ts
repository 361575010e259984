import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '@sciml/data';
import { Generator, add, matmul, transpose } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { batchNorm } from '../layers/batch-norm.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import { fit } from '../train/fit.js';
import {
  loadCheckpoint,
  loadModelSafetensors,
  modelToSafetensors,
  optimizerStateFromSafetensors,
  optimizerStateToSafetensors,
  saveCheckpoint,
} from './checkpoint.js';

const build = (seed: number) =>
  new Module(sequential(linear(6), batchNorm(), relu, linear(3)), {
    inputShape: [4],
    seed,
    dtype: 'float32',
  });

function trained() {
  const rng = new Generator(1);
  const x = rng.normal([32, 4], { dtype: 'float32' });
  const y = rng.integers(0, 3, [32]);
  const model = build(0);
  const optimizer = adam({ lr: 0.01 });
  const history = fit(model, [x, y], {
    optimizer,
    loss: crossEntropyWithLogits,
    epochs: 2,
    batchSize: 8,
    verbose: false,
  });
  return { model, optimizer, state: history.optimizerState, x };
}

const bits = (a: { dataSync(): ArrayLike<number> }) => Array.from(a.dataSync() as Float32Array);

describe('checkpoints', () => {
  it('writes PyTorch state-dict names with weights in [out, in] layout', () => {
    const { model } = trained();
    const file = readSafetensors(modelToSafetensors(model));
    expect([...file.tensors.keys()].sort()).toEqual(
      [
        'layers.0.weight',
        'layers.0.bias',
        'layers.1.weight',
        'layers.1.bias',
        'layers.1.running_mean',
        'layers.1.running_var',
        'layers.3.weight',
        'layers.3.bias',
      ].sort(),
    );
    expect(file.tensors.get('layers.0.weight')!.shape).toEqual([6, 4]);
    expect(file.tensors.get('layers.3.weight')!.shape).toEqual([3, 6]);
    expect(file.dtypes.get('layers.0.weight')).toBe('float32');
    expect(file.metadata.get('format')).toBe('pt');
    // PyTorch's nn.Linear computes y = x Wᵀ + b with the stored W: check with the file's arrays
    const lin = linear(6);
    const W = file.tensors.get('layers.0.weight')!;
    const b = file.tensors.get('layers.0.bias')!;
    const x = new Generator(2).normal([5, 4], { dtype: 'float32' });
    expect(bits(lin.apply({ weight: W, bias: b }, x).y)).toEqual(
      bits(add(matmul(x, transpose(W)), b)),
    );
  });

  it('round-trips the model and the optimiser state bit for bit', () => {
    const { model, optimizer, state, x } = trained();
    const bytes = modelToSafetensors(model);
    const copy = build(99);
    loadModelSafetensors(copy, bytes);
    for (const [name, a] of model.stateDict())
      expect(bits(copy.stateDict().get(name)!)).toEqual(bits(a));
    expect(bits(copy.forward(x))).toEqual(bits(model.forward(x)));
    // writing the loaded model again gives the same bytes
    expect(modelToSafetensors(copy)).toEqual(bytes);

    const optBytes = optimizerStateToSafetensors(state);
    const names = [...readSafetensors(optBytes).tensors.keys()];
    expect(names).toContain('m.layers.0.weight');
    expect(names).toContain('v.layers.3.bias');
    const restored = optimizerStateFromSafetensors(optBytes, optimizer.init(copy.params));
    expect(restored.step).toBe(state.step);
    expect(optimizerStateToSafetensors(restored)).toEqual(optBytes);
    const skipping = { ...state, skipped: 3 };
    const back = optimizerStateFromSafetensors(
      optimizerStateToSafetensors(skipping),
      optimizer.init(copy.params),
    );
    expect(back.skipped).toBe(3);
  });

  it('saves and loads files, and rejects a checkpoint of another architecture', async () => {
    const { model, optimizer, state } = trained();
    const dir = await mkdtemp(join(tmpdir(), 'sciml-nn-'));
    try {
      const path = join(dir, 'net.safetensors');
      await saveCheckpoint(path, model, { optimizerState: state });
      const copy = build(5);
      const { optimizerState } = await loadCheckpoint(path, copy, {
        optimizerTemplate: optimizer.init(copy.params),
      });
      expect(modelToSafetensors(copy)).toEqual(modelToSafetensors(model));
      expect(optimizerStateToSafetensors(optimizerState!)).toEqual(
        optimizerStateToSafetensors(state),
      );
      const other = new Module(sequential(linear(5), batchNorm(), relu, linear(3)), {
        inputShape: [4],
      });
      await expect(loadCheckpoint(path, other)).rejects.toThrow(
        /'layers.0.weight' has shape \(6, 4\) but the model's is \(5, 4\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
