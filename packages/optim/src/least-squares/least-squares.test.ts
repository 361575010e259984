import {
  Generator,
  type NDArray,
  array,
  exp,
  fromTypedArray,
  linspace,
  mul,
  neg,
  slice,
  sub,
  toMlMatrix,
  zeros,
} from '@sciml/linalg';
import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares.js';

const t = Array.from({ length: 40 }, (_, i) => i * 0.25);

/** y = a·exp(−k t); residual and closed-form Jacobian. */
function decayProblem(y: number[]) {
  const residual = (p: NDArray) => {
    const [a, k] = p.dataSync() as unknown as [number, number];
    return fromTypedArray(Float64Array.from(t, (ti, i) => a * Math.exp(-k * ti) - y[i]!));
  };
  const jac = (p: NDArray) => {
    const [a, k] = p.dataSync() as unknown as [number, number];
    const J = new Float64Array(t.length * 2);
    t.forEach((ti, i) => {
      J[2 * i] = Math.exp(-k * ti);
      J[2 * i + 1] = -a * ti * Math.exp(-k * ti);
    });
    return fromTypedArray(J, [t.length, 2]);
  };
  return { residual, jac };
}

const S = [0.02, 0.06, 0.11, 0.22, 0.56, 1.1, 2.5, 5, 10];

/** Michaelis–Menten v = Vmax·S/(Km + S). */
function mmProblem(v: number[]) {
  const residual = (p: NDArray) => {
    const [vmax, km] = p.dataSync() as unknown as [number, number];
    return fromTypedArray(Float64Array.from(S, (s, i) => (vmax * s) / (km + s) - v[i]!));
  };
  const jac = (p: NDArray) => {
    const [vmax, km] = p.dataSync() as unknown as [number, number];
    const J = new Float64Array(S.length * 2);
    S.forEach((s, i) => {
      J[2 * i] = s / (km + s);
      J[2 * i + 1] = (-vmax * s) / (km + s) ** 2;
    });
    return fromTypedArray(J, [S.length, 2]);
  };
  return { residual, jac };
}

describe('Levenberg–Marquardt', () => {
  it('recovers exponential-decay parameters from noisy data, with the linearised covariance', () => {
    const rng = new Generator(21);
    const truth = [2.5, 0.7];
    const sigma = 0.02;
    const y = t.map((ti) => truth[0]! * Math.exp(-truth[1]! * ti) + sigma * rng.nextNormal());
    const { residual, jac } = decayProblem(y);
    const res = leastSquares(residual, [1, 0.1], { jac });
    expect(res.success, res.message).toBe(true);
    const [a, k] = res.x.dataSync();
    // within 4 standard errors of the truth
    const cov = res.covariance!.dataSync();
    expect(Math.abs(a! - truth[0]!)).toBeLessThan(4 * Math.sqrt(cov[0]!));
    expect(Math.abs(k! - truth[1]!)).toBeLessThan(4 * Math.sqrt(cov[3]!));
    // covariance = s²(JᵀJ)⁻¹ recomputed independently with ml-matrix from the closed-form Jacobian
    const J = toMlMatrix(jac(res.x), Matrix);
    const s2 = (2 * res.cost) / (t.length - 2);
    const ref = inverse(J.transpose().mmul(J)).mul(s2);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) expect(cov[i * 2 + j]!).toBeCloseTo(ref.get(i, j), 12);
  });

  it('the covariance predicts the spread of estimates over repeated noisy experiments', () => {
    const rng = new Generator(4);
    const truth = [2.5, 0.7];
    const sigma = 0.05;
    const estimates: number[][] = [];
    let predicted: Float64Array | undefined;
    for (let rep = 0; rep < 300; rep++) {
      const y = t.map((ti) => truth[0]! * Math.exp(-truth[1]! * ti) + sigma * rng.nextNormal());
      const { residual, jac } = decayProblem(y);
      const res = leastSquares(residual, [1, 0.1], { jac });
      estimates.push(Array.from(res.x.dataSync()));
      predicted ??= Float64Array.from(res.covariance!.dataSync());
    }
    for (const idx of [0, 1]) {
      const vals = estimates.map((e) => e[idx]!);
      const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
      const variance = vals.reduce((s, v) => s + (v - mean) ** 2, 0) / (vals.length - 1);
      // sample variance of 300 draws is within ±25% of the truth with overwhelming probability
      expect(variance / predicted![idx * 3]!).toBeGreaterThan(0.75);
      expect(variance / predicted![idx * 3]!).toBeLessThan(1.33);
    }
  });

  it('fits Michaelis–Menten kinetics by LM and by Gauss–Newton to the same optimum', () => {
    const rng = new Generator(2);
    const truth = [0.21, 0.065];
    const v = S.map((s) => (truth[0]! * s) / (truth[1]! + s) + 0.004 * rng.nextNormal());
    const { residual, jac } = mmProblem(v);
    const lm = leastSquares(residual, [0.1, 1], { jac });
    const gn = leastSquares(residual, [0.15, 0.1], { jac, method: 'gauss-newton' });
    expect(lm.success && gn.success).toBe(true);
    const a = lm.x.dataSync();
    const b = gn.x.dataSync();
    expect(Math.abs(a[0]! - b[0]!)).toBeLessThan(1e-8);
    expect(Math.abs(a[1]! - b[1]!)).toBeLessThan(1e-8);
    const cov = lm.covariance!.dataSync();
    expect(Math.abs(a[0]! - truth[0]!)).toBeLessThan(4 * Math.sqrt(cov[0]!));
    expect(Math.abs(a[1]! - truth[1]!)).toBeLessThan(4 * Math.sqrt(cov[3]!));
    // at the optimum the gradient Jᵀr vanishes
    expect(Math.max(...Array.from(lm.grad.dataSync(), Math.abs))).toBeLessThan(1e-9);
  });

  it('takes the Jacobian from autodiff when none is given', () => {
    const rng = new Generator(3);
    const tt = array(t);
    const y = array(t.map((ti) => 2 * Math.exp(-0.5 * ti) + 0.01 * rng.nextNormal()));
    const residual = (p: NDArray) => sub(mul(slice(p, 0), exp(mul(neg(slice(p, 1)), tt))), y);
    const auto = leastSquares(residual, [1, 0.1]);
    const { jac } = decayProblem(Array.from(y.dataSync()));
    const manual = leastSquares(residual, [1, 0.1], { jac });
    expect(auto.success).toBe(true);
    expect(Math.abs(auto.x.dataSync()[0]! - manual.x.dataSync()[0]!)).toBeLessThan(1e-10);
    expect(Math.abs(auto.x.dataSync()[1]! - manual.x.dataSync()[1]!)).toBeLessThan(1e-10);
  });

  it('rejects a Jacobian of the wrong shape with a clear error', () => {
    const { residual } = decayProblem(t.map(() => 0));
    expect(() => leastSquares(residual, [1, 1], { jac: () => array([[1, 2]]) })).toThrow(
      /Jacobian must have shape \(40, 2\)/,
    );
  });
});

describe('leastSquares over pytrees', () => {
  it('fits y = a·exp(k t) with parameters { a, k } and returns the same structure', () => {
    const t = linspace(0, 1, 20);
    const data = mul(2, exp(mul(-3, t)));
    const residual = (p: { a: NDArray; k: NDArray }) => sub(mul(p.a, exp(mul(p.k, t))), data);
    for (const method of ['lm', 'gauss-newton', 'trf'] as const) {
      const fit = leastSquares(residual, { a: array(1), k: array(-1) }, { method });
      expect(fit.success).toBe(true);
      expect(fit.x.a.shape).toEqual([]);
      expect(fit.x.a.item()).toBeCloseTo(2, 10);
      expect(fit.x.k.item()).toBeCloseTo(-3, 10);
      expect(fit.grad.k.shape).toEqual([]);
    }
  });

  it('keeps float32 leaves float32 and reads a 2-D residual flat', () => {
    const target = array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    );
    const p0: { M: NDArray } = { M: zeros([2, 2], { dtype: 'float32' }) };
    const fit = leastSquares((p: { M: NDArray }) => sub(p.M, target), p0);
    expect(fit.x.M.dtype).toBe('float32');
    expect(fit.x.M.toNested()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(fit.fun.shape).toEqual([4]);
  });
});
