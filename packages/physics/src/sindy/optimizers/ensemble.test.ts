import { Generator, type NDArray, ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { ensemble } from './ensemble.js';
import { stlsq } from './stlsq.js';
import { sparseProblem } from './test-utils/problems.js';

const flat = (a: NDArray | undefined) => Array.from(a!.dataSync());
const XI = [
  [0, 1.5, 0, -2, 0, 0],
  [0.7, 0, 0, 0, 0, 3],
];

describe('ensemble', () => {
  it('on noise-free data every bootstrap model finds the same sparse Ξ', () => {
    const { theta, y } = sparseProblem(200, XI);
    const r = ensemble(stlsq({ threshold: 0.1 }), { nModels: 10 }).fit(theta, y);
    expect(r.ensembleCoefficients!.shape).toEqual([10, 2, 6]);
    flat(r.coefficients).forEach((v, e) => {
      expect(v).toBeCloseTo(XI[Math.floor(e / 6)]![e % 6]!, 10);
    });
    flat(r.inclusionProbabilities).forEach((v, e) => {
      expect(v).toBe(XI[Math.floor(e / 6)]![e % 6] === 0 ? 0 : 1);
    });
  });

  it('aggregates by median or mean of the stored models', () => {
    const { theta, y } = sparseProblem(100, XI, { noise: 0.5 });
    for (const aggregate of ['median', 'mean'] as const) {
      const r = ensemble(stlsq({ threshold: 0.1 }), { nModels: 7, aggregate, seed: 3 }).fit(
        theta,
        y,
      );
      const all = flat(r.ensembleCoefficients);
      flat(r.coefficients).forEach((v, e) => {
        const col = Array.from({ length: 7 }, (_, mdl) => all[mdl * 12 + e]!).sort((a, b) => a - b);
        expect(v).toBeCloseTo(
          aggregate === 'median' ? col[3]! : col.reduce((s, c) => s + c, 0) / 7,
          12,
        );
      });
    }
  });

  it('is reproducible for a seed and varies with it', () => {
    const { theta, y } = sparseProblem(100, XI, { noise: 0.5 });
    const fit = (seed: number) =>
      flat(ensemble(stlsq(), { nModels: 5, seed }).fit(theta, y).ensembleCoefficients);
    expect(fit(1)).toEqual(fit(1));
    expect(fit(1)).not.toEqual(fit(2));
    const rng = new Generator(9);
    const opt = ensemble(stlsq(), { nModels: 5, rng });
    expect(flat(opt.fit(theta, y).ensembleCoefficients)).not.toEqual(
      flat(opt.fit(theta, y).ensembleCoefficients),
    );
  });

  it('library bagging leaves features out, lowering their inclusion probability', () => {
    const { theta, y } = sparseProblem(300, XI);
    const r = ensemble(stlsq({ threshold: 0.5 }), {
      nModels: 30,
      bagging: false,
      dropFeatures: 1,
      seed: 4,
    }).fit(theta, y);
    const inc = flat(r.inclusionProbabilities);
    for (const v of inc)
      expect(
        Number.isInteger(Math.round(v * 30)) && Math.abs(v * 30 - Math.round(v * 30)) < 1e-12,
      ).toBe(true);
    // A true term is kept unless it was dropped (1 model in 6 on average).
    expect(inc[1]).toBeGreaterThan(0.6);
    expect(inc[1]).toBeLessThan(1);
    const thresholded = ensemble(stlsq({ threshold: 0.5 }), {
      nModels: 30,
      bagging: false,
      dropFeatures: 1,
      seed: 4,
      inclusionThreshold: 1,
    }).fit(theta, y);
    flat(thresholded.coefficients).forEach((v, e) => {
      if (inc[e]! < 1) expect(v).toBe(0);
    });
  });

  it('rejects bad options', () => {
    expect(() => ensemble(stlsq(), { bagging: false })).toThrow(ValueError);
    expect(() => ensemble(stlsq(), { aggregate: 'max' as 'mean' })).toThrow(ValueError);
    const { theta, y } = sparseProblem(20, XI);
    expect(() => ensemble(stlsq(), { dropFeatures: 6 }).fit(theta, y)).toThrow(ValueError);
  });
});
