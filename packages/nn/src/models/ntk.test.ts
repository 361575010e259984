import { Generator, type NDArray, add, matmul, mul, sum, tanh } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { empiricalNtk, linearize } from './ntk.js';

type Params = { W: NDArray; b: NDArray; v: NDArray };
// f(x) = vᵀ tanh(W x + b): one hidden layer, scalar output
const f = (p: Params, x: NDArray): NDArray =>
  sum(mul(tanh(add(matmul(x, p.W, { transB: true }), p.b)), p.v), { axis: 1 });

describe('neural tangent kernel', () => {
  const rng = new Generator(4);
  const [H, d] = [6, 3];
  const params: Params = { W: rng.normal([H, d]), b: rng.normal([H]), v: rng.normal([H]) };
  const x1 = rng.normal([4, d]);
  const x2 = rng.normal([3, d]);

  it('equals the closed form Σ_j [t_j t′_j + v_j² s_j s′_j (1 + x·x′)] for a one-hidden-layer tanh net', () => {
    const theta = empiricalNtk(f, params, x1, x2);
    expect(theta.shape).toEqual([4, 3]);
    const W = params.W.dataSync();
    const b = params.b.dataSync();
    const v = params.v.dataSync();
    const pre = (x: ArrayLike<number>, i: number) =>
      Array.from({ length: H }, (_, j) => {
        let s = b[j]!;
        for (let k = 0; k < d; k++) s += W[j * d + k]! * x[i * d + k]!;
        return s;
      });
    const a = x1.dataSync();
    const c = x2.dataSync();
    const got = theta.dataSync();
    for (let i = 0; i < 4; i++)
      for (let m = 0; m < 3; m++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += a[i * d + k]! * c[m * d + k]!;
        const z1 = pre(a, i);
        const z2 = pre(c, m);
        let ref = 0;
        for (let j = 0; j < H; j++) {
          const t1 = Math.tanh(z1[j]!);
          const t2 = Math.tanh(z2[j]!);
          // ∂f/∂v_j = t_j; ∂f/∂b_j = v_j(1 − t_j²); ∂f/∂W_jk = v_j(1 − t_j²) x_k
          ref += t1 * t2 + v[j]! ** 2 * (1 - t1 * t1) * (1 - t2 * t2) * (1 + dot);
        }
        expect(got[i * 3 + m]).toBeCloseTo(ref, 12);
      }
    const gram = empiricalNtk(f, params, x1);
    expect(gram.shape).toEqual([4, 4]);
    const g = gram.dataSync();
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(g[i * 4 + j]).toBeCloseTo(g[j * 4 + i]!, 14);
  });

  it('the linearised model agrees with f at θ₀ and to second order in θ − θ₀', () => {
    const lin = linearize(f, params);
    expect(Array.from(lin(params, x1).dataSync())).toEqual(Array.from(f(params, x1).dataSync()));
    const dir: Params = { W: rng.normal([H, d]), b: rng.normal([H]), v: rng.normal([H]) };
    const at = (h: number): Params => ({
      W: add(params.W, mul(dir.W, h)),
      b: add(params.b, mul(dir.b, h)),
      v: add(params.v, mul(dir.v, h)),
    });
    const gap = (h: number) => {
      const a = f(at(h), x1).dataSync();
      const b = lin(at(h), x1).dataSync();
      return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
    };
    // the remainder is O(h²): halving h quarters it
    const ratio = gap(1e-2) / gap(5e-3);
    expect(ratio).toBeGreaterThan(3.8);
    expect(ratio).toBeLessThan(4.2);
  });
});
