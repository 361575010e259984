import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  addNoise,
  coefficientTable,
  compareTrajectories,
  discover,
  scoreCoefficients,
  simulateTraining,
  trueCoefficients,
  trueEquations,
} from './pipeline.js';

// A shorter run than the demo's (4 time units, 10 ensemble models) keeps the smoke test quick.
const config = { ...DEFAULT_CONFIG, trainTime: 4, ensembleModels: 10, testTime: 3 };

describe('demo pipeline', () => {
  it('adds noise with the requested fraction of the signal RMS, reproducibly', () => {
    const x = Float64Array.from({ length: 20000 }, (_, i) => 10 * Math.sin(i / 50));
    const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    const noisy = addNoise(x, 0.01, 3);
    const sd = Math.sqrt(noisy.reduce((s, v, i) => s + (v - x[i]!) ** 2, 0) / x.length);
    expect(sd / (0.01 * rms)).toBeGreaterThan(0.97);
    expect(sd / (0.01 * rms)).toBeLessThan(1.03);
    expect(addNoise(x, 0.01, 3)).toEqual(noisy);
  });

  it('prints the true equations as SINDy does', () => {
    expect(trueEquations()).toEqual([
      "x' = -10.000 x + 10.000 y",
      "y' = 28.000 x - 1.000 y - 1.000 x z",
      "z' = -2.667 z + 1.000 x y",
    ]);
  });

  it('discovers the seven Lorenz terms from 1%-noise data and follows the true trajectory', () => {
    const train = simulateTraining(config);
    const noisy = addNoise(train.clean, config.noise, config.seed);
    const { model, inclusion } = discover(config, noisy);
    const rows = coefficientTable(model, inclusion);
    expect(rows).toHaveLength(30);
    expect(rows.filter((r) => r.truth !== 0).map((r) => `${r.equation} ${r.term}`)).toEqual([
      "x' x",
      "x' y",
      "y' x",
      "y' y",
      "y' x z",
      "z' z",
      "z' x y",
    ]);
    const { worstRelativeError, spuriousTerms } = scoreCoefficients(rows);
    expect(spuriousTerms).toBe(0);
    expect(worstRelativeError).toBeLessThan(0.05);
    rows.forEach((r) => {
      expect(r.inclusion).toBe(r.truth !== 0 ? 1 : 0);
    });
    const test = compareTrajectories(config, model);
    expect(test.t[0]).toBe(0);
    expect(test.distance[0]).toBe(0);
    expect(test.shortRolloutError).toBeLessThan(0.05);
  });

  it('scores a table: relative errors of true terms, count of spurious ones', () => {
    const truth = trueCoefficients();
    const rows = truth.flatMap((row, i) =>
      row.map((t, j) => ({
        equation: `${'xyz'[i]}'`,
        term: String(j),
        truth: t,
        discovered: t === 0 ? (i === 0 && j === 0 ? 0.3 : 0) : t * 1.02,
        relativeError: t === 0 ? undefined : 0.02,
        inclusion: 1,
      })),
    );
    expect(scoreCoefficients(rows)).toEqual({ worstRelativeError: 0.02, spuriousTerms: 1 });
  });
});
