import { Generator, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { exactIsing } from '../test-utils/ising-exact.js';
import {
  flipToPositiveMagnetization,
  isingObservables,
  isingSamples,
  isingSeries,
} from './ising.js';

describe('isingSamples', () => {
  it('reproduces the exact L = 4 averages at T = 2.5', () => {
    const rng = new Generator(4);
    const exact = exactIsing(4, 2.5);
    const obs = isingObservables(
      isingSamples({ rng, L: 4, temperature: 2.5, n: 8000, thin: 4 }),
      4,
    );
    expect(Math.abs(obs.absMagnetization - exact.absMagnetization)).toBeLessThan(0.015);
    expect(Math.abs(obs.energy - exact.energy)).toBeLessThan(0.02);
  });

  it('is ordered at T = 1.5 as Onsager–Yang predict: |m| = (1 − sinh⁻⁴(2/T))^{1/8}', () => {
    const rng = new Generator(5);
    const x = isingSamples({ rng, L: 8, temperature: 1.5, n: 1000, encoding: 'binary' });
    const obs = isingObservables(x, 8);
    const onsager = (1 - Math.sinh(2 / 1.5) ** -4) ** 0.125;
    expect(Math.abs(obs.absMagnetization - onsager)).toBeLessThan(0.01);
    expect(Math.min(...x.dataSync())).toBe(0);
  });

  it('names bad arguments', () => {
    const rng = new Generator(0);
    expect(() => isingSamples({ rng, L: 1, temperature: 1, n: 1 })).toThrow(/isingSamples.*L/);
    expect(() => isingSamples({ rng, L: 4, temperature: 0, n: 1 })).toThrow(/temperature/);
  });
});

describe('flipToPositiveMagnetization', () => {
  it('flips negative-magnetisation configurations whole, in either encoding, and keeps |m| and E per sample', () => {
    const pm = array([
      [1, 1, -1, 1],
      [-1, -1, 1, -1],
      [1, -1, -1, 1],
    ]);
    expect(flipToPositiveMagnetization(pm).toNested()).toEqual([
      [1, 1, -1, 1],
      [1, 1, -1, 1],
      [1, -1, -1, 1],
    ]);
    const bin = array([
      [0, 0, 1, 0],
      [1, 1, 0, 1],
    ]);
    expect(flipToPositiveMagnetization(bin).toNested()).toEqual([
      [1, 1, 0, 1],
      [1, 1, 0, 1],
    ]);
    // on real samples: every magnetisation ≥ 0, the per-sample |m| and E series unchanged
    const rng = new Generator(6);
    const x = isingSamples({ rng, L: 4, temperature: 2.5, n: 300, thin: 2, encoding: 'binary' });
    const y = flipToPositiveMagnetization(x);
    expect(Array.from(isingSeries(y, 4).energy)).toEqual(Array.from(isingSeries(x, 4).energy));
    expect(Array.from(isingSeries(y, 4).absMagnetization)).toEqual(
      Array.from(isingSeries(x, 4).absMagnetization),
    );
    const d = y.dataSync();
    for (let c = 0; c < 300; c++) {
      let m = 0;
      for (let i = 0; i < 16; i++) m += 2 * Number(d[c * 16 + i]) - 1;
      expect(m).toBeGreaterThanOrEqual(0);
    }
    expect(() => flipToPositiveMagnetization(array([1, -1]))).toThrow(
      /flipToPositiveMagnetization/,
    );
  });
});
