// The four backpropagation equations (Nielsen, "Neural Networks and Deep Learning", ch. 2), computed by hand
// with scalar loops for a 3-layer sigmoid network, against autodiff's gradient of the same network.
import { grad } from '@sciml/autodiff';
import { Generator, type NDArray, mul, sub, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { sigmoid } from './activations.js';
import type { LinearParams } from './layers/linear.js';
import { linear } from './layers/linear.js';
import { sequential } from './layers/sequential.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const dsig = (v: number) => sig(v) * (1 - sig(v));

describe('backpropagation', () => {
  it('δᴸ = ∇ₐC ⊙ σ′(zᴸ), δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ σ′(zˡ), ∂C/∂b = δ, ∂C/∂W = δaᵀ equal autodiff to 1e-12', () => {
    const sizes = [4, 5, 3, 2];
    const net = sequential(linear(5), sigmoid, linear(3), sigmoid, linear(2), sigmoid);
    const rng = new Generator(12);
    const params = net.init(rng, [4]);
    const x = rng.normal([1, 4]);
    const y = rng.uniform([1, 2]);
    // C = ½‖aᴸ − y‖²
    const cost = (p: typeof params) =>
      mul(sum(mul(sub(net.apply(p, x).y, y), sub(net.apply(p, x).y, y))), 0.5);
    const auto = grad(cost)(params);

    const layers = [0, 2, 4].map((i) => params.layers[i] as LinearParams);
    const W = layers.map((l) => Array.from(l.weight.dataSync()));
    const b = layers.map((l) => Array.from(l.bias!.dataSync()));
    // forward pass, keeping zˡ and aˡ
    const a: number[][] = [Array.from(x.dataSync())];
    const z: number[][] = [];
    for (let l = 0; l < 3; l++) {
      const [nIn, nOut] = [sizes[l]!, sizes[l + 1]!];
      z.push(
        Array.from({ length: nOut }, (_, j) => {
          let s = b[l]![j]!;
          for (let k = 0; k < nIn; k++) s += W[l]![j * nIn + k]! * a[l]![k]!;
          return s;
        }),
      );
      a.push(z[l]!.map(sig));
    }
    // (BP1) output error, then (BP2) backwards
    const yv = Array.from(y.dataSync());
    const delta: number[][] = [];
    delta[2] = a[3]!.map((aj, j) => (aj - yv[j]!) * dsig(z[2]![j]!));
    for (let l = 1; l >= 0; l--) {
      const [nOut, nNext] = [sizes[l + 1]!, sizes[l + 2]!];
      delta[l] = Array.from({ length: nOut }, (_, k) => {
        let s = 0;
        for (let j = 0; j < nNext; j++) s += W[l + 1]![j * nOut + k]! * delta[l + 1]![j]!;
        return s * dsig(z[l]![k]!);
      });
    }
    [0, 2, 4].forEach((layerIndex, l) => {
      const g = auto.layers[layerIndex] as { weight: NDArray; bias: NDArray };
      // (BP3) ∂C/∂bˡ = δˡ
      Array.from(g.bias.dataSync()).forEach((v, j) => {
        expect(Math.abs(v - delta[l]![j]!)).toBeLessThan(1e-12);
      });
      // (BP4) ∂C/∂Wˡ_jk = δˡ_j aˡ⁻¹_k (weights stored [out, in])
      const nIn = sizes[l]!;
      Array.from(g.weight.dataSync()).forEach((v, i) => {
        const [j, k] = [Math.floor(i / nIn), i % nIn];
        expect(Math.abs(v - delta[l]![j]! * a[l]![k]!)).toBeLessThan(1e-12);
      });
    });
  });
});
