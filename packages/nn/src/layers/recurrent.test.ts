import { Generator } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { lstm } from './recurrent.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('lstm', () => {
  it('equals a hand-unrolled LSTM cell written with scalar loops (PyTorch gate order i, f, g, o)', () => {
    const [N, T, F, H] = [2, 4, 3, 5];
    const layer = lstm(H);
    const rng = new Generator(4);
    const p = layer.init(rng, [T, F]);
    const x = rng.normal([N, T, F]);
    const y = layer.apply(p, x).y;
    expect(y.shape).toEqual([N, T, H]);
    const Wi = p.weight_ih_l0.dataSync();
    const Wh = p.weight_hh_l0.dataSync();
    const bi = p.bias_ih_l0.dataSync();
    const bh = p.bias_hh_l0.dataSync();
    const xv = x.dataSync();
    const yv = y.dataSync();
    for (let n = 0; n < N; n++) {
      let h = new Array<number>(H).fill(0);
      let c = new Array<number>(H).fill(0);
      for (let t = 0; t < T; t++) {
        const z = Array.from({ length: 4 * H }, (_, r) => {
          let s = bi[r]! + bh[r]!;
          for (let k = 0; k < F; k++) s += Wi[r * F + k]! * xv[(n * T + t) * F + k]!;
          for (let k = 0; k < H; k++) s += Wh[r * H + k]! * h[k]!;
          return s;
        });
        c = c.map((cj, j) => sig(z[H + j]!) * cj + sig(z[j]!) * Math.tanh(z[2 * H + j]!));
        h = c.map((cj, j) => sig(z[3 * H + j]!) * Math.tanh(cj));
        h.forEach((hj, j) => {
          expect(yv[(n * T + t) * H + j]).toBeCloseTo(hj, 13);
        });
      }
    }
    const last = lstm(H, { returnSequences: false }).apply(p, x).y;
    expect(last.shape).toEqual([N, H]);
    expect(Array.from(last.dataSync().slice(0, H))).toEqual(
      Array.from(yv.slice((T - 1) * H, T * H)),
    );
  });
});
