import { Generator, array, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { concentricCircles, gaussianBlobs, swissRoll, twoMoons } from './classification.js';
import { lowRankPlusNoise } from './lowrank.js';
import {
  fourierFeatureMap,
  fourierFeatureRegression,
  noisySinusoid,
  polynomialRegression,
} from './regression.js';
import { fieldFromSnapshots, snapshotMatrix } from './snapshots.js';

const rows = (a: { dataSync(): ArrayLike<number>; shape: readonly number[] }) => {
  const d = a.shape[1] ?? 1;
  const v = Array.from(a.dataSync());
  return Array.from({ length: a.shape[0]! }, (_, i) => v.slice(i * d, i * d + d));
};

describe('toy classification sets', () => {
  it('twoMoons lies on the two unit half circles of make_moons', () => {
    const { x, y } = twoMoons({ n: 101, shuffle: false });
    expect(x.shape).toEqual([101, 2]);
    const labels = Array.from(y.dataSync());
    expect(labels.filter((l) => l === 0).length).toBe(50);
    rows(x).forEach(([a, b], i) => {
      const r = labels[i] === 0 ? Math.hypot(a!, b!) : Math.hypot(a! - 1, b! - 0.5);
      expect(r).toBeCloseTo(1, 12);
      expect(labels[i] === 0 ? b! >= -1e-12 : b! <= 0.5 + 1e-12).toBe(true);
    });
  });

  it('is reproducible from the seed and shuffles without changing the set of points', () => {
    const a = twoMoons({ n: 40, noise: 0.1, seed: 7 });
    const b = twoMoons({ n: 40, noise: 0.1, seed: 7 });
    const c = twoMoons({ n: 40, noise: 0.1, seed: 8 });
    expect(a.x.toNested()).toEqual(b.x.toNested());
    expect(a.x.toNested()).not.toEqual(c.x.toNested());
    const sorted = (p: { x: ReturnType<typeof array>; y: ReturnType<typeof array> }) =>
      rows(p.x)
        .map((r, i) => `${p.y.dataSync()[i]}:${r.map((v) => v.toFixed(12)).join(',')}`)
        .sort();
    expect(sorted(twoMoons({ n: 30 }))).toEqual(sorted(twoMoons({ n: 30, shuffle: false })));
    const rng = new Generator(1);
    expect(twoMoons({ n: 10, rng }).x.toNested()).not.toEqual(
      twoMoons({ n: 10, rng }).x.toNested(),
    );
  });

  it('concentricCircles has radii 1 and factor', () => {
    const { x, y } = concentricCircles({ n: 60, factor: 0.3 });
    rows(x).forEach(([a, b], i) => {
      expect(Math.hypot(a!, b!)).toBeCloseTo(y.dataSync()[i] ? 0.3 : 1, 12);
    });
    expect(() => concentricCircles({ factor: 1 })).toThrow(/factor/);
  });

  it('gaussianBlobs clusters around their centres with the requested spread', () => {
    const { x, y, centers } = gaussianBlobs({
      n: 3000,
      centers: [
        [0, 0],
        [10, -5],
        [-3, 8],
      ],
      std: 0.5,
      seed: 2,
    });
    const c = rows(centers);
    const xs = rows(x);
    for (let k = 0; k < 3; k++) {
      const pts = xs.filter((_, i) => y.dataSync()[i] === k);
      expect(pts.length).toBe(1000);
      const mean = [0, 1].map((d) => pts.reduce((s, p) => s + p[d]!, 0) / pts.length);
      const sd = Math.sqrt(pts.reduce((s, p) => s + (p[0]! - mean[0]!) ** 2, 0) / (pts.length - 1));
      // mean within 5 standard errors (0.5/√1000 ≈ 0.016), sd within 10 %
      expect(Math.abs(mean[0]! - c[k]![0]!)).toBeLessThan(0.08);
      expect(Math.abs(mean[1]! - c[k]![1]!)).toBeLessThan(0.08);
      expect(Math.abs(sd / 0.5 - 1)).toBeLessThan(0.1);
    }
    expect(gaussianBlobs({ n: 7, centers: 3, features: 4 }).x.shape).toEqual([7, 4]);
  });

  it('swissRoll points are (t cos t, h, t sin t) with t in [1.5π, 4.5π]', () => {
    const { x, t } = swissRoll({ n: 200, seed: 4 });
    rows(x).forEach(([a, h, b], i) => {
      const ti = t.dataSync()[i]!;
      expect(ti).toBeGreaterThanOrEqual(1.5 * Math.PI);
      expect(ti).toBeLessThan(4.5 * Math.PI);
      expect(a).toBeCloseTo(ti * Math.cos(ti), 12);
      expect(b).toBeCloseTo(ti * Math.sin(ti), 12);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(21);
    });
  });
});

describe('regression sets', () => {
  it('noisySinusoid: clean values follow the formula, residuals have the requested spread', () => {
    const { x, y, clean } = noisySinusoid({
      n: 20000,
      amplitude: 2,
      frequency: 3,
      phase: 0.5,
      noise: 0.1,
      seed: 9,
    });
    const xs = x.dataSync();
    const cs = clean.dataSync();
    for (let i = 0; i < 100; i++)
      expect(cs[i]).toBeCloseTo(2 * Math.sin(6 * Math.PI * xs[i]! + 0.5), 12);
    const r = Array.from(y.dataSync(), (v, i) => v - cs[i]!);
    const sd = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
    expect(Math.abs(sd / 0.1 - 1)).toBeLessThan(0.03); // relative standard error 1/√(2n) ≈ 0.005
    const grid = noisySinusoid({ n: 5, grid: true, noise: 0 });
    expect(Array.from(grid.x.dataSync())).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('polynomialRegression evaluates Σ c_k x^k', () => {
    const { x, clean } = polynomialRegression({ n: 50, coefficients: [1, -2, 0, 3], noise: 0 });
    x.dataSync().forEach((v, i) => {
      expect(clean.dataSync()[i]).toBeCloseTo(1 - 2 * v + 3 * v ** 3, 12);
    });
  });

  it('random Fourier features approximate the RBF kernel (Rahimi & Recht)', () => {
    const map = fourierFeatureMap(2, { features: 20000, lengthscale: 0.7, seed: 11 });
    const pts = array([
      [0, 0],
      [0.3, -0.2],
      [1, 0.5],
      [-0.4, 0.9],
    ]);
    const phi = rows(map.apply(pts));
    const p = rows(pts);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const k = Math.exp(
          -((p[i]![0]! - p[j]![0]!) ** 2 + (p[i]![1]! - p[j]![1]!) ** 2) / (2 * 0.49),
        );
        const approx = phi[i]!.reduce((s, v, q) => s + v * phi[j]![q]!, 0);
        expect(Math.abs(approx - k)).toBeLessThan(0.04); // error ~ 1/√p ≈ 0.007
      }
    }
    expect(() => map.apply(array([[1, 2, 3]]))).toThrow(/shape \(n, 2\)/);
  });

  it('fourierFeatureRegression is seeded and its noise-free targets are smooth', () => {
    const a = fourierFeatureRegression({ n: 30, dim: 2, seed: 5 });
    const b = fourierFeatureRegression({ n: 30, dim: 2, seed: 5 });
    expect(a.y.toNested()).toEqual(b.y.toNested());
    expect(a.x.shape).toEqual([30, 2]);
    expect(a.clean.shape).toEqual([30, 1]);
  });
});

describe('lowRankPlusNoise', () => {
  it('has orthonormal factors, the requested singular values and exact rank without noise', () => {
    const { matrix, lowRank, u, s, v } = lowRankPlusNoise({
      rows: 12,
      cols: 7,
      singularValues: [5, 2, 0.5],
      noise: 0,
      seed: 3,
    });
    for (const [q, m] of [
      [u, 12],
      [v, 7],
    ] as const) {
      const qs = q.dataSync();
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += qs[i * 3 + a]! * qs[i * 3 + b]!;
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-13);
        }
      }
    }
    // ‖L‖_F² = Σ s²
    const fro = Array.from(lowRank.dataSync()).reduce((acc, x) => acc + x * x, 0);
    expect(fro).toBeCloseTo(25 + 4 + 0.25, 10);
    expect(matrix.toNested()).toEqual(lowRank.toNested());
    expect(Array.from(s.dataSync())).toEqual([5, 2, 0.5]);
  });

  it('adds noise of the requested size and validates its arguments', () => {
    const { matrix, lowRank } = lowRankPlusNoise({
      rows: 100,
      cols: 100,
      rank: 2,
      noise: 0.2,
      seed: 1,
    });
    const diff = Array.from(matrix.dataSync(), (x, i) => x - lowRank.dataSync()[i]!);
    const sd = Math.sqrt(diff.reduce((a, x) => a + x * x, 0) / diff.length);
    expect(Math.abs(sd / 0.2 - 1)).toBeLessThan(0.03);
    expect(() => lowRankPlusNoise({ rows: 3, cols: 2, rank: 3 })).toThrow(/exceeds/);
    expect(() => lowRankPlusNoise({ singularValues: [1, 2] })).toThrow(/non-increasing/);
  });
});

describe('snapshot matrices', () => {
  it('put each time step in a column and invert exactly', () => {
    const nt = 4;
    const data = Float64Array.from({ length: nt * 2 * 3 }, (_, i) => i);
    const field = fromTypedArray(data, [nt, 2, 3]);
    const m = snapshotMatrix(field);
    expect(m.shape).toEqual([6, 4]);
    for (let t = 0; t < nt; t++)
      for (let s = 0; s < 6; s++) expect(m.get(s, t)).toBe(data[t * 6 + s]);
    expect(fieldFromSnapshots(m, [2, 3]).toNested()).toEqual(field.toNested());
    const timeLast = fromTypedArray(data, [2, 3, nt]);
    const m2 = snapshotMatrix(timeLast, { timeAxis: -1 });
    expect(m2.get(4, 1)).toBe(timeLast.get(1, 1, 1));
    expect(fieldFromSnapshots(m2, [2, 3], { timeAxis: -1 }).toNested()).toEqual(
      timeLast.toNested(),
    );
    expect(() => fieldFromSnapshots(m, [5])).toThrow(/5 points/);
  });
});
