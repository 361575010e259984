import { checkGrads } from '@sciml/autodiff';
import {
  Generator,
  array,
  type NDArray,
  eye,
  matmul,
  mean,
  mul,
  norm,
  qr,
  reshape,
  slice,
  sub,
  svd,
  transpose,
} from '@sciml/linalg';
import { minimize } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../activations.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import {
  type AutoencoderParams,
  autoencoder,
  contractiveLoss,
  contractivePenalty,
  denoisingLoss,
  reconstructionLoss,
} from './autoencoder.js';

describe('autoencoders', () => {
  it('a linear autoencoder with k units spans PCA’s top-k subspace (principal angles ≤ 1e-6)', () => {
    const [N, d, k] = [200, 5, 2];
    const rng = new Generator(1);
    // data with well separated variances 9, 4, 1, 0.25, 0.04 along a random rotation, then centred
    const { Q } = qr(rng.normal([d, d]));
    const scales = [3, 2, 1, 0.5, 0.2];
    let X = matmul(mul(rng.normal([N, d]), array(scales)), transpose(Q));
    X = sub(X, mean(X, { axis: 0, keepdims: true }));
    const ae = autoencoder(linear(k, { bias: false }), linear(d, { bias: false }));
    const split = (v: NDArray): AutoencoderParams => ({
      encoder: { weight: reshape(slice(v, `0:${k * d}`), [k, d]) },
      decoder: { weight: reshape(slice(v, `${k * d}:`), [d, k]) },
    });
    const x0 = new Generator(2).normal([2 * k * d], { std: 0.3 });
    const res = minimize((v) => reconstructionLoss(ae, split(v), X), x0, {
      method: 'lbfgs',
      gtol: 1e-13,
      maxIter: 5000,
    });
    const decoder = (split(res.x).decoder as { weight: NDArray }).weight;
    // PCA: the top-k right singular vectors of X
    const { Vt } = svd(X);
    const pcs = transpose(slice(Vt, `0:${k}`));
    const basis = qr(decoder).Q;
    // ‖(I − P_pca) Q_ae‖_F bounds sin of the largest principal angle
    const residual = matmul(sub(eye(d), matmul(pcs, transpose(pcs))), basis);
    expect(norm(residual).item()).toBeLessThanOrEqual(1e-6);
  });

  it('the contractive penalty equals Rifai et al.’s closed form for a sigmoid encoder', () => {
    const [N, d, k] = [3, 4, 2];
    const rng = new Generator(3);
    const enc = sequential(linear(k), sigmoid);
    const p = enc.init(rng, [d]);
    const x = rng.normal([N, d]);
    const got = contractivePenalty((xx) => enc.apply(p, xx).y, x).item();
    // ‖J_f(x)‖²_F = Σ_j (h_j(1 − h_j))² Σ_i W_ji²
    const W = (p.layers[0] as { weight: NDArray }).weight.dataSync();
    const h = enc.apply(p, x).y.dataSync();
    let ref = 0;
    for (let n = 0; n < N; n++)
      for (let j = 0; j < k; j++) {
        const hj = h[n * k + j]!;
        let w2 = 0;
        for (let i = 0; i < d; i++) w2 += W[j * d + i]! ** 2;
        ref += (hj * (1 - hj)) ** 2 * w2;
      }
    expect(got).toBeCloseTo(ref / N, 14);
    // and its gradient in the parameters (nested reverse mode) passes checkGrads
    const ae = autoencoder(enc, linear(d));
    const params = ae.init(rng, [d]);
    checkGrads((q: AutoencoderParams) => contractiveLoss(ae, q, x, { lambda: 0.5 }), [params], {
      order: 1,
    });
  });

  it('the denoising loss of the identity autoencoder is the noise variance', () => {
    const d = 4;
    const ae = autoencoder(linear(d, { bias: false }), linear(d, { bias: false }));
    const identity: AutoencoderParams = {
      encoder: { weight: eye(d) },
      decoder: { weight: eye(d) },
    };
    const x = new Generator(0).normal([5000, d]);
    expect(reconstructionLoss(ae, identity, x).item()).toBe(0);
    const loss = denoisingLoss(ae, identity, x, { rng: new Generator(1), noiseStd: 0.3 }).item();
    // mean of 20 000 squared N(0, 0.09) draws: standard error 0.09·√(2/20 000)
    expect(Math.abs(loss - 0.09)).toBeLessThan(5 * 0.09 * Math.sqrt(2 / 20_000));
  });
});
