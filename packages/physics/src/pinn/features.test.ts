import { Generator, ValueError, cos, exp, mul, sub, tanh } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  annealedWeights,
  fourierFeatures,
  gaussLegendre,
  interval,
  partial,
  radResample,
  volterraIntegral,
} from '../index.js';
import { column, pointsArray } from './geometry.js';

describe('Gauss–Legendre quadrature', () => {
  it('has the tabulated 5-point nodes and weights and is exact to degree 2n − 1', () => {
    const { nodes, weights } = gaussLegendre(5);
    // Abramowitz & Stegun, Table 25.4
    const ref = [
      [0.906179845938664, 0.2369268850561891],
      [0.5384693101056831, 0.4786286704993665],
      [0, 0.5688888888888889],
    ];
    for (const [i, [x, w]] of ref.entries()) {
      expect(nodes[4 - i]).toBeCloseTo(x!, 14);
      expect(nodes[i]).toBeCloseTo(-x!, 14);
      expect(weights[i]).toBeCloseTo(w!, 14);
    }
    for (const n of [1, 2, 7, 20]) {
      const q = gaussLegendre(n);
      for (let deg = 0; deg <= 2 * n - 1; deg++) {
        const integral = q.nodes.reduce((s, x, j) => s + q.weights[j]! * x ** deg, 0);
        expect(integral).toBeCloseTo(deg % 2 === 1 ? 0 : 2 / (deg + 1), 12);
      }
    }
    expect(() => gaussLegendre(0)).toThrow(ValueError);
  });

  it('volterraIntegral integrates a field and a kernel, and differentiates to the integrand', () => {
    const x = pointsArray([[0.3], [1.7], [4]], 1);
    // ∫₀ˣ cos s ds = sin x
    const i1 = volterraIntegral(cos, x).dataSync();
    [0.3, 1.7, 4].forEach((v, k) => {
      expect(i1[k]).toBeCloseTo(Math.sin(v), 12);
    });
    // ∫₀ˣ e^{s−x}·e^{−s} ds = x e^{−x}
    const i2 = volterraIntegral((s) => exp(mul(-1, s)), x, {
      kernel: (xr, s) => exp(sub(s, column(xr, 0))),
    }).dataSync();
    [0.3, 1.7, 4].forEach((v, k) => {
      expect(i2[k]).toBeCloseTo(v * Math.exp(-v), 12);
    });
    // d/dx ∫₁ˣ tanh s ds = tanh x (the upper limit moves with x)
    const d = partial((z) => volterraIntegral(tanh, z, { lower: 1 }), [0])(x).dataSync();
    [0.3, 1.7, 4].forEach((v, k) => {
      expect(d[k]).toBeCloseTo(Math.tanh(v), 10);
    });
    // along one axis of a 2-D point: ∫₀^{x₁} x₀·s ds = x₀ x₁²/2
    const y = pointsArray([[2, 3]], 2);
    const i3 = volterraIntegral((z) => mul(column(z, 0), column(z, 1)), y, { axis: 1 }).dataSync();
    expect(i3[0]).toBeCloseTo(9, 12);
    expect(() => volterraIntegral(cos, x, { axis: 1 })).toThrow(/axis/);
  });
});

describe('RAD resampling', () => {
  it('draws points with density ∝ |residual| + c, concentrating at a steep front', () => {
    // u = tanh(50(x − 0.5)): |u″| is concentrated within ~0.05 of the front
    const u = (x: ReturnType<typeof pointsArray>) => tanh(mul(50, sub(x, 0.5)));
    const cand = interval(0, 1).sampleInterior(4000, { sampler: 'random', rng: new Generator(5) });
    const residual = (D: { d(...a: number[]): ReturnType<typeof pointsArray> }) => D.d(0, 0);
    const near = (p: ArrayLike<number>) =>
      Array.from(p).filter((v) => Math.abs(v - 0.5) < 0.05).length / p.length;
    const pure = radResample(u, residual, cand, 400, { k: 1, c: 0, rng: new Generator(1) });
    const mixed = radResample(u, residual, cand, 400, { k: 1, c: 1, rng: new Generator(1) });
    const uniform = radResample(u, residual, cand, 400, { k: 0, c: 1, rng: new Generator(1) });
    expect(pure.shape).toEqual([400, 1]);
    // with c = 0, nearly all of the mass of |u″| lies within 0.05 of the front (a uniform draw has 10 %)
    expect(near(pure.dataSync())).toBeGreaterThan(0.8);
    // c = 1 mixes in a uniform half: about (0.97 + 0.1)/2 of the points
    expect(near(mixed.dataSync())).toBeGreaterThan(0.4);
    expect(near(mixed.dataSync())).toBeLessThan(0.7);
    expect(near(uniform.dataSync())).toBeLessThan(0.2);
    // without replacement: no duplicate rows
    expect(new Set(pure.dataSync()).size).toBe(400);
    expect(() => radResample(u, residual, cand, 5000, { rng: new Generator(1) })).toThrow(
      /candidates/,
    );
  });
});

describe('Fourier features', () => {
  it('embeds x as [cos 2πBx, sin 2πBx] with B ~ N(0, σ²) fixed and untrained', () => {
    const layer = fourierFeatures(2, 500, { sigma: 3, rng: new Generator(0) });
    expect(layer.init(new Generator(1), [2])).toEqual({});
    expect(layer.outputShape([2])).toEqual([1000]);
    const b = Array.from(layer.B.dataSync() as ArrayLike<number>);
    const std = Math.sqrt(b.reduce((s, v) => s + v * v, 0) / b.length) / (2 * Math.PI);
    expect(std).toBeGreaterThan(2.8);
    expect(std).toBeLessThan(3.2);
    const x = pointsArray([[0.2, -0.7]], 2);
    const y = layer.apply({}, x).y.dataSync();
    const z0 = 0.2 * b[0]! - 0.7 * b[500]!;
    expect(y[0]).toBeCloseTo(Math.cos(z0), 12);
    expect(y[500]).toBeCloseTo(Math.sin(z0), 12);
    expect(() => layer.apply({}, pointsArray([[1]], 1))).toThrow(/\(n, 2\)/);
  });
});

describe('learning-rate annealing weights', () => {
  it('scales each term to max|∇L_pde| / mean|∇L_k| with a moving average', () => {
    const g = (v: number[]) => ({ w: pointsArray([v], v.length) });
    // max |∇L_pde| = 8; mean |∇L_bc| = 2 → λ̂ = 4; λ = 0.1·1 + 0.9·4
    const w = annealedWeights(g([8, -1]), [g([1, -3]), g([0, 0])], [1, 5], 0.9);
    expect(w[0]).toBeCloseTo(3.7, 14);
    expect(w[1]).toBe(5);
    expect(() => annealedWeights(g([1]), [g([1])], [1], 0)).toThrow(/alpha/);
  });
});
