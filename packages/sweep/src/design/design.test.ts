import { Generator, ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { geomspaceValues, grid, linspaceValues } from './grid.js';
import { product, seeds } from './combine.js';
import { jobsOf } from './jobs.js';
import { latinHypercube, randomDesign } from './random.js';
import { SOBOL_MAX_DIMENSIONS, sobol, sobolPoints } from './sobol.js';

describe('grid, product, seeds', () => {
  it('enumerates every combination, the last name fastest', () => {
    expect(grid({ a: [1, 2], b: ['x', 'y', 'z'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
  });

  it('multiplies designs and rejects a name in two of them', () => {
    const d = product(grid({ noise: [0, 0.1] }), seeds(3, { start: 5 }));
    expect(d).toHaveLength(6);
    expect(d[4]).toEqual({ noise: 0.1, seed: 6 });
    expect(() => product(grid({ a: [1] }), grid({ a: [2] }))).toThrow(ValueError);
    expect(() => grid({ a: [] })).toThrow(/non-empty/);
    expect(() => seeds(0)).toThrow(ValueError);
  });

  it('spaces grid axes linearly and geometrically with exact ends', () => {
    expect(linspaceValues(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const g = geomspaceValues(1e-3, 1e1, 5);
    expect(g[0]).toBe(1e-3);
    expect(g[4]).toBe(1e1);
    for (let i = 1; i < 4; i++) expect(g[i]! / g[i - 1]!).toBeCloseTo(10, 10);
  });
});

describe("parameter names after Object.prototype's members", () => {
  it('are ordinary own keys in designs and products', () => {
    // before: `point['__proto__'] = …` set the prototype, and product() saw `constructor` in every point
    const d = sobol(JSON.parse('{"__proto__": [0, 1], "toString": [2, 4]}'), { n: 2 });
    expect(Object.getPrototypeOf(d[0])).toBe(Object.prototype);
    expect(Object.keys(d[0]!)).toEqual(['__proto__', 'toString']);
    expect(Object.getOwnPropertyDescriptor(d[1], '__proto__')!.value).toBe(0.5);
    const p = product(grid({ constructor: [1, 2] }), grid({ b: [3] }));
    expect(p.map((q) => q.constructor)).toEqual([1, 2]);
  });
});

describe('sobol', () => {
  it("matches SciPy's unscrambled qmc.Sobol(d=2) points", () => {
    // scipy.stats.qmc.Sobol(d=2, scramble=False).random(8)
    expect(sobolPoints(8, 2)).toEqual([
      [0, 0],
      [0.5, 0.5],
      [0.75, 0.25],
      [0.25, 0.75],
      [0.375, 0.375],
      [0.875, 0.875],
      [0.625, 0.125],
      [0.125, 0.625],
    ]);
  });

  it('is balanced: for n = 2^k every coordinate takes each value j/n exactly once', () => {
    const n = 64;
    const pts = sobolPoints(n, SOBOL_MAX_DIMENSIONS);
    for (let d = 0; d < SOBOL_MAX_DIMENSIONS; d++) {
      const values = pts.map((p) => p[d]! * n).sort((x, y) => x - y);
      expect(values).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('is a (0, m, 2)-net in its first two coordinates: every elementary box of area 1/n holds one point', () => {
    const m = 6;
    const n = 2 ** m;
    const pts = sobolPoints(n, 2);
    for (let k = 0; k <= m; k++) {
      const cols = 2 ** k;
      const rows = 2 ** (m - k);
      const counts = new Map<string, number>();
      for (const [x, y] of pts) {
        const key = `${Math.floor(x! * cols)},${Math.floor(y! * rows)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      expect(counts.size).toBe(n);
    }
  });

  it('maps onto linear, log and integer ranges', () => {
    const d = sobol(
      {
        x: [2, 4],
        lr: { low: 1e-4, high: 1e-2, scale: 'log' },
        k: { low: 1, high: 5, integer: true },
      },
      { n: 4 },
    );
    expect(d.map((p) => p.x)).toEqual([2, 3, 3.5, 2.5]);
    expect(d[1]!.lr).toBeCloseTo(1e-3, 15); // u = 0.5 is the geometric midpoint
    expect(d.map((p) => p.k)).toEqual([1, 3, 2, 4]);
    expect(() => sobol({ lr: { low: 0, high: 1, scale: 'log' } }, { n: 2 })).toThrow(/low > 0/);
    expect(() => sobolPoints(4, SOBOL_MAX_DIMENSIONS + 1)).toThrow(/latinHypercube/);
  });
});

describe('latinHypercube and randomDesign', () => {
  it('puts exactly one point in every stratum of every parameter', () => {
    const n = 50;
    const d = latinHypercube({ a: [0, 1], b: [-5, 5], c: [10, 20] }, { n, rng: new Generator(3) });
    for (const [name, lo, hi] of [
      ['a', 0, 1],
      ['b', -5, 5],
      ['c', 10, 20],
    ] as const) {
      const strata = d
        .map((p) => Math.floor((((p[name] as number) - lo) / (hi - lo)) * n))
        .sort((x, y) => x - y);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('is reproducible from the seed and stays inside the ranges', () => {
    const r1 = randomDesign({ a: [1, 2] }, { n: 100, rng: new Generator(7) });
    const r2 = randomDesign({ a: [1, 2] }, { n: 100, rng: new Generator(7) });
    expect(r1).toEqual(r2);
    expect(r1.every((p) => (p.a as number) >= 1 && (p.a as number) < 2)).toBe(true);
    // mean of U(1, 2) is 1.5 with standard error 1/sqrt(12 n) ≈ 0.029
    const mean = r1.reduce((s, p) => s + (p.a as number), 0) / 100;
    expect(Math.abs(mean - 1.5)).toBeLessThan(4 * 0.029);
    expect(() => randomDesign({ a: [1, 2] }, { n: 3 } as never)).toThrow(/rng/);
  });
});

describe('jobsOf', () => {
  it('gives ids from the parameters alone and seeds from the seed parameter', () => {
    const a = jobsOf([{ x: 1, y: 'a' }, { seed: 9 }]);
    const b = jobsOf([{ seed: 9 }, { y: 'a', x: 1 }]);
    expect(a[0]!.id).toBe(b[1]!.id);
    expect(a[1]!.seed).toBe(9);
    expect(a[0]!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(Number.isSafeInteger(a[0]!.seed)).toBe(true);
  });

  it('rejects duplicates, empty designs and non-finite values', () => {
    expect(() => jobsOf([{ x: 1 }, { x: 1 }])).toThrow(/same parameters/);
    expect(() => jobsOf([])).toThrow(/empty/);
    expect(() => jobsOf([{ x: Number.NaN }])).toThrow(/finite/);
  });
});
